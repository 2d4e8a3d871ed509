package org.chatcorpus.server.arena;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.chatcorpus.server.storage.EventStore;

/**
 * The Arena's behaviour, independent of HTTP: single-model chat, battles between two models
 * (anonymous or named) with votes, and logging of every event both as FastChat JSON lines and in
 * the database. Mirrors FastChat's gradio_web_server.py / gradio_block_arena_anony.py: a "chat"
 * event is logged after each model answer with that model's state; a vote logs the pair's states
 * with the public model names ("" for both while anonymous). A failed model call shows the user
 * only FastChat's neutral network-error text (the cause, which may name the model, goes to the log
 * alone), so an anonymous battle gives nothing away; the user can regenerate the turn, and curation
 * drops a conversation that kept the error.
 */
public final class ArenaService implements Closeable {
    /** FastChat's server_error_msg; clean_chat_data.py drops conversations that contain it. */
    public static final String NETWORK_ERROR_MSG =
            "**NETWORK ERROR DUE TO HIGH TRAFFIC. PLEASE REGENERATE OR REFRESH THIS PAGE.**";
    static final Set<String> BATTLE_VOTES = Set.of("leftvote", "rightvote", "tievote", "bothbad_vote");
    static final Set<String> SINGLE_VOTES = Set.of("upvote", "downvote");
    private static final int MAX_SESSIONS = 100_000;

    private final ArenaConfig config;
    private final Map<String, ModelEndpoint> models = new LinkedHashMap<>();
    private final ChatCompletionClient client;
    private final ConversationLog log;
    private final EventStore store;
    private final UserKeys userKeys;
    private final RateLimiter limiter;
    private final PromptGate gate;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, ArenaSession> sessions = new ConcurrentHashMap<>();
    private final ExecutorService sides = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "battle-side");
        t.setDaemon(true);
        return t;
    });
    private final SecureRandom random = new SecureRandom();
    private final ArenaChance chance;

    public ArenaService(ArenaConfig config, ConversationLog log, EventStore store, UserKeys userKeys) {
        this(config, log, store, userKeys, ArenaChance.live());
    }

    public ArenaService(ArenaConfig config, ConversationLog log, EventStore store, UserKeys userKeys, ArenaChance chance) {
        if (config.models().isEmpty()) {
            throw new IllegalArgumentException("the Arena needs at least one model in its config");
        }
        this.config = config;
        config.models().forEach(m -> models.put(m.name(), m));
        this.client = new ChatCompletionClient(java.time.Duration.ofSeconds(config.modelTimeoutSeconds()));
        this.log = log;
        this.store = store;
        this.userKeys = userKeys;
        this.limiter = new RateLimiter(config.limits().requestsPerMinute());
        this.gate = PromptGate.blockedWords(config.moderation().blockedWords());
        this.chance = chance;
    }

    /** Opens logs and the database under the config's data directory. */
    public static ArenaService open(ArenaConfig config) throws IOException {
        return open(config, ArenaChance.live());
    }

    /** Opens logs and the database under the config's data directory, with the given source of chance and time. */
    public static ArenaService open(ArenaConfig config, ArenaChance chance) throws IOException {
        Path data = Path.of(config.dataDir());
        ArenaConfig.Database db = config.database();
        EventStore store = EventStore.open(db == null ? null : db.url(), db == null ? null : db.user(),
                db == null ? null : db.password(), data);
        return new ArenaService(config, new ConversationLog(data.resolve("logs")), store, chance.userKeys(data), chance);
    }

    public ArenaConfig config() {
        return config;
    }

    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    public ConversationLog log() {
        return log;
    }

    public EventStore store() {
        return store;
    }

    /** The session with this id, or a new one (with a fresh random id) for this client address. */
    public ArenaSession session(String id, String address) {
        if (id != null) {
            ArenaSession s = sessions.get(id);
            if (s != null) {
                return s;
            }
        }
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.clear(); // crude but bounded: users re-accept the terms after a flood
        }
        byte[] b = new byte[16];
        random.nextBytes(b);
        ArenaSession s = new ArenaSession(HexFormat.of().formatHex(b), userKeys.keyOf(address));
        sessions.put(s.id(), s);
        return s;
    }

    public void consent(ArenaSession s) {
        s.consent();
    }

    /** One single-model turn: streams the answer to {@code onDelta}; returns the whole answer. */
    public String chat(ArenaSession s, String modelName, String prompt, Consumer<String> onDelta) {
        admit(s, prompt);
        ModelEndpoint model = models.get(modelName);
        if (model == null) {
            throw new ArenaException(400, "unknown model");
        }
        synchronized (s) {
            if (s.chat == null || !s.chat.modelName().equals(modelName)) {
                s.chat = newState(modelName);
            }
            checkTurns(s.chat);
            return answer(s, model, s.chat, prompt, onDelta);
        }
    }

    /** Ends the current single-model conversation; the next message starts a new one (FastChat's "Clear history"). */
    public void newChat(ArenaSession s) {
        requireConsent(s);
        synchronized (s) {
            s.chat = null;
        }
    }

    /** Starts a battle round: two different models, random when anonymous, or the named pair. */
    public void startBattle(ArenaSession s, boolean anony, String modelA, String modelB) {
        requireConsent(s);
        if (models.size() < 2) {
            throw new ArenaException(400, "a battle needs two models in the config");
        }
        String a;
        String b;
        if (anony) {
            List<String> names = new ArrayList<>(models.keySet());
            int i = chance.nextInt(names.size());
            int j = chance.nextInt(names.size() - 1);
            a = names.get(i);
            b = names.get(j >= i ? j + 1 : j);
        } else {
            if (!models.containsKey(modelA) || !models.containsKey(modelB)) {
                throw new ArenaException(400, "unknown model");
            }
            a = modelA;
            b = modelB;
        }
        synchronized (s) {
            s.battle = new ArenaSession.BattleRound(newState(a), newState(b), anony);
        }
    }

    /** One battle turn: both models answer the same prompt in parallel; deltas carry the side (0 = A, 1 = B). */
    public void battleTurn(ArenaSession s, String prompt, BiConsumer<Integer, String> onDelta) {
        admit(s, prompt);
        synchronized (s) {
            ArenaSession.BattleRound round = s.battle;
            if (round == null || round.voted) {
                throw new ArenaException(409, "start a new battle first");
            }
            checkTurns(round.states[0]);
            List<Future<String>> answers = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                int sideIndex = side;
                ChatState state = round.states[side];
                ModelEndpoint model = models.get(state.modelName());
                java.util.concurrent.Callable<String> call = () -> answer(s, model, state, prompt, d -> onDelta.accept(sideIndex, d));
                if (chance.parallelSides()) {
                    answers.add(sides.submit(call));
                } else {
                    java.util.concurrent.FutureTask<String> inline = new java.util.concurrent.FutureTask<>(call);
                    inline.run(); // a replay answers side A, then side B: the log order is the seed's
                    answers.add(inline);
                }
            }
            for (Future<String> f : answers) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ArenaException(503, "interrupted");
                }
            }
        }
    }

    /**
     * What a vote did: the two model names, now revealed, and whether the vote counts for the
     * leaderboard; it does not when the battle's text gave a model away or a model failed (the
     * leaderboard's cleaning drops such battles, and the voter is told why).
     */
    public record VoteResult(List<String> models, boolean counted, String note) {
    }

    /** Records a vote on the current battle. */
    public VoteResult vote(ArenaSession s, String type) {
        requireConsent(s);
        if (!BATTLE_VOTES.contains(type)) {
            throw new ArenaException(400, "unknown vote type");
        }
        synchronized (s) {
            ArenaSession.BattleRound round = s.battle;
            if (round == null || round.states[0].turns() == 0) {
                throw new ArenaException(409, "nothing to vote on yet");
            }
            if (round.voted) {
                throw new ArenaException(409, "this battle already has your vote");
            }
            round.voted = true;
            double now = now();
            ObjectNode row = json.createObjectNode();
            row.put("tstamp", now);
            row.put("type", type);
            ArrayNode names = row.putArray("models");
            for (ChatState st : round.states) {
                names.add(round.anony ? "" : st.modelName());
            }
            ArrayNode states = row.putArray("states");
            for (ChatState st : round.states) {
                states.add(st.toJson(json));
            }
            row.put("ip", s.userKey());
            String note = round.anony ? notCountedBecause(round) : "";
            if (!note.isEmpty()) {
                row.put("not_counted", note); // a mark for people reading the log; the cleaning decides from the text itself
            }
            String pair = round.states[0].modelName() + "," + round.states[1].modelName();
            record(now, type, round.states[0].convId() + "," + round.states[1].convId(), pair, s.userKey(), row);
            return new VoteResult(List.of(round.states[0].modelName(), round.states[1].modelName()), note.isEmpty(), note);
        }
    }

    /** Why an anonymous battle's vote will not count, or "" when it will (the rule of BattleLogCleaner). */
    private static String notCountedBecause(ArenaSession.BattleRound round) {
        StringBuilder text = new StringBuilder();
        for (ChatState st : round.states) {
            for (org.chatcorpus.core.model.Message m : st.openAiMessages()) {
                if (m.content().contains(NETWORK_ERROR_MSG)) {
                    return "a model failed to answer in this battle, so this vote is not counted";
                }
                text.append(m.content()).append('\n');
            }
        }
        return org.chatcorpus.server.leaderboard.BattleLogCleaner.leaksIdentity(text.toString())
                ? "a model's name or identity appeared in this battle, so this vote is not counted"
                : "";
    }

    /**
     * Asks the last prompt of the current battle again, of both models (FastChat's "Regenerate"):
     * the previous answers are replaced, in the state and in the log's last event per conversation.
     */
    public void regenerateBattle(ArenaSession s, BiConsumer<Integer, String> onDelta) {
        synchronized (s) {
            ArenaSession.BattleRound round = s.battle;
            if (round == null || round.voted || round.states[0].turns() == 0) {
                throw new ArenaException(409, "nothing to regenerate");
            }
            String prompt = round.states[0].dropLastTurn();
            round.states[1].dropLastTurn();
            battleTurn(s, prompt, onDelta);
        }
    }

    /** Asks the last prompt of the current single-model chat again. */
    public String regenerateChat(ArenaSession s, Consumer<String> onDelta) {
        synchronized (s) {
            if (s.chat == null || s.chat.turns() == 0) {
                throw new ArenaException(409, "nothing to regenerate");
            }
            String model = s.chat.modelName();
            String prompt = s.chat.dropLastTurn();
            return chat(s, model, prompt, onDelta);
        }
    }

    /** Records an upvote/downvote on the current single-model chat (FastChat's vote_last_response). */
    public void voteSingle(ArenaSession s, String type) {
        requireConsent(s);
        if (!SINGLE_VOTES.contains(type)) {
            throw new ArenaException(400, "unknown vote type");
        }
        synchronized (s) {
            if (s.chat == null || s.chat.turns() == 0) {
                throw new ArenaException(409, "nothing to vote on yet");
            }
            double now = now();
            ObjectNode row = json.createObjectNode();
            row.put("tstamp", now);
            row.put("type", type);
            row.put("model", s.chat.modelName());
            row.set("state", s.chat.toJson(json));
            row.put("ip", s.userKey());
            record(now, type, s.chat.convId(), s.chat.modelName(), s.userKey(), row);
        }
    }

    private void admit(ArenaSession s, String prompt) {
        requireConsent(s);
        if (prompt == null || prompt.isBlank()) {
            throw new ArenaException(400, "empty message");
        }
        if (prompt.length() > config.limits().maxPromptChars()) {
            throw new ArenaException(413, "message longer than " + config.limits().maxPromptChars() + " characters");
        }
        if (!limiter.tryAcquire(s.userKey())) {
            throw new ArenaException(429, "too many messages; please wait a minute");
        }
    }

    private void requireConsent(ArenaSession s) {
        if (!s.consented()) {
            throw new ArenaException(403, "please accept the terms of use first");
        }
    }

    private void checkTurns(ChatState state) {
        if (state.turns() >= config.limits().maxTurns()) {
            throw new ArenaException(409, "this conversation reached " + config.limits().maxTurns() + " turns; start a new one");
        }
    }

    /** Calls the model (unless the gate blocks the prompt), updates the state and logs a chat event. */
    private String answer(ArenaSession s, ModelEndpoint model, ChatState state, String prompt, Consumer<String> onDelta) {
        double start = now();
        state.addUser(prompt);
        String text;
        if (!gate.allows(prompt)) {
            text = PromptGate.MODERATION_MESSAGE;
            onDelta.accept(text);
        } else {
            try {
                text = client.stream(model, state.openAiMessages(), onDelta);
            } catch (ChatCompletionClient.ModelError e) {
                // The user sees the neutral text only: the cause names the model, which an anonymous battle must not show.
                onDelta.accept(NETWORK_ERROR_MSG);
                state.addAssistant(NETWORK_ERROR_MSG + "\n\n(error: " + e.getMessage() + ")");
                log(s, model, state, start);
                return NETWORK_ERROR_MSG;
            }
        }
        state.addAssistant(text);
        log(s, model, state, start);
        return text;
    }

    /** Logs a "chat" event with the state after an answer. */
    private void log(ArenaSession s, ModelEndpoint model, ChatState state, double start) {
        double finish = now();
        ObjectNode row = json.createObjectNode();
        row.put("tstamp", finish);
        row.put("type", "chat");
        row.put("model", model.name());
        ObjectNode gen = row.putObject("gen_params");
        gen.put("temperature", model.temperature());
        gen.put("max_new_tokens", model.maxTokens());
        row.put("start", start);
        row.put("finish", finish);
        row.set("state", state.toJson(json));
        row.put("ip", s.userKey());
        record(finish, "chat", state.convId(), model.name(), s.userKey(), row);
    }

    private void record(double tstamp, String type, String convId, String modelNames, String userKey, ObjectNode row) {
        try {
            String line = json.writeValueAsString(row);
            log.append(tstamp, line);
            store.append(new EventStore.Event(tstamp, type, convId, modelNames, userKey, line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private double now() {
        return chance.now();
    }

    private ChatState newState(String model) {
        return new ChatState(model, ChatState.uuid4Hex(chance.nextLong(), chance.nextLong()));
    }

    @Override
    public void close() throws IOException {
        sides.shutdownNow();
        try {
            client.close();
            log.close();
        } finally {
            store.close();
        }
    }
}
