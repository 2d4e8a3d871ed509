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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ChatRequest;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.llm.ModelError;
import org.chatcorpus.llm.RetryPolicy;
import org.chatcorpus.server.storage.EventStore;

/**
 * The Arena's behaviour, independent of HTTP: single-model chat, battles between two models
 * (anonymous or named) with votes, and logging of every event both as FastChat JSON lines and in
 * the database. Mirrors FastChat's gradio_web_server.py / gradio_block_arena_anony.py: a "chat"
 * event is logged after each model answer with that model's state; a vote logs the pair's states
 * with the public model names ("" for both while anonymous). A failed model call is shown to the
 * user and logged with FastChat's network-error text, so curation drops the conversation.
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
    private final ChatClient client;
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

    public ArenaService(ArenaConfig config, ConversationLog log, EventStore store, UserKeys userKeys) {
        if (config.models().isEmpty()) {
            throw new IllegalArgumentException("the Arena needs at least one model in its config");
        }
        this.config = config;
        config.models().forEach(m -> models.put(m.name(), m));
        // No retry policy: a user is waiting and sees the error at once (the client still resends a
        // request whose kept-alive connection the model server had closed).
        this.client = new ChatClient(java.time.Duration.ofSeconds(config.modelTimeoutSeconds()), RetryPolicy.NONE);
        this.log = log;
        this.store = store;
        this.userKeys = userKeys;
        this.limiter = new RateLimiter(config.limits().requestsPerMinute());
        this.gate = PromptGate.blockedWords(config.moderation().blockedWords());
    }

    /** Opens logs and the database under the config's data directory. */
    public static ArenaService open(ArenaConfig config) throws IOException {
        Path data = Path.of(config.dataDir());
        ArenaConfig.Database db = config.database();
        EventStore store = EventStore.open(db == null ? null : db.url(), db == null ? null : db.user(),
                db == null ? null : db.password(), data);
        return new ArenaService(config, new ConversationLog(data.resolve("logs")), store, UserKeys.loadOrCreate(data));
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
                s.chat = new ChatState(modelName);
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
            int i = ThreadLocalRandom.current().nextInt(names.size());
            int j = ThreadLocalRandom.current().nextInt(names.size() - 1);
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
            s.battle = new ArenaSession.BattleRound(new ChatState(a), new ChatState(b), anony);
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
                answers.add(sides.submit(() -> answer(s, model, state, prompt, d -> onDelta.accept(sideIndex, d))));
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

    /** Records a vote on the current battle and returns the two model names, now revealed. */
    public List<String> vote(ArenaSession s, String type) {
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
            String pair = round.states[0].modelName() + "," + round.states[1].modelName();
            record(now, type, round.states[0].convId() + "," + round.states[1].convId(), pair, s.userKey(), row);
            return List.of(round.states[0].modelName(), round.states[1].modelName());
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
                text = client.stream(model, ChatRequest.of(model, state.openAiMessages()), onDelta).text();
            } catch (ModelError e) {
                text = NETWORK_ERROR_MSG + "\n\n(error: " + e.getMessage() + ")";
                onDelta.accept(text);
            }
        }
        state.addAssistant(text);
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
        return text;
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

    /** Seconds since the epoch with millisecond precision (FastChat rounds time.time() to 4 places). */
    private static double now() {
        return System.currentTimeMillis() / 1000.0;
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
