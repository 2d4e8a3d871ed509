package org.chatcorpus.server.arena;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * with the public model names ("" for both while anonymous). As FastChat's add_text and
 * bot_response (gradio_web_server.py, release commit 24acac17): a prompt over the length limit is
 * cut to its first {@code maxPromptChars} characters (code points, as a Python slice), not refused;
 * a prompt the moderation gate blocks is answered with the notice and neither kept nor logged; a
 * failed model call shows the user only FastChat's neutral network-error text (the cause, which may
 * name the model, stays in the state alone, so an anonymous battle gives nothing away), and the turn
 * is not logged (bot_response returns before it writes the log line); the user can regenerate it.
 *
 * <p>An event is acknowledged (the answer's last event, a vote's 200) only once it is durable in
 * the log; the database follows the log. Sessions exist only after consent; each battle and each
 * chat answer takes one vote; messages and votes are rate-limited per session and per address.
 */
public final class ArenaService implements Closeable {
    /** FastChat's server_error_msg; clean_chat_data.py drops conversations that contain it. */
    public static final String NETWORK_ERROR_MSG =
            "**NETWORK ERROR DUE TO HIGH TRAFFIC. PLEASE REGENERATE OR REFRESH THIS PAGE.**";
    static final Set<String> BATTLE_VOTES = Set.of("leftvote", "rightvote", "tievote", "bothbad_vote");
    static final Set<String> SINGLE_VOTES = Set.of("upvote", "downvote");

    private final ArenaConfig config;
    private final Map<String, ModelEndpoint> models = new LinkedHashMap<>();
    private final ChatClient client;
    private final ConversationLog log;
    private final EventStore store;
    private final UserKeys userKeys;
    private final RateLimiter messagesPerSession;
    private final RateLimiter messagesPerAddress;
    private final RateLimiter votesPerSession;
    private final RateLimiter votesPerAddress;
    private final RateLimiter consentsPerAddress;
    private final SessionTable sessions;
    private final PromptGate gate;
    private final ClientAddress clientAddress;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService sides = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "battle-side");
        t.setDaemon(true);
        return t;
    });
    private final List<String> startupNotes = new ArrayList<>();
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
        // No retry policy: a user is waiting and sees the error at once (the client still resends a
        // request whose kept-alive connection the model server had closed).
        this.client = new ChatClient(java.time.Duration.ofSeconds(config.modelTimeoutSeconds()), RetryPolicy.NONE);
        this.log = log;
        this.store = store;
        this.userKeys = userKeys;
        ArenaConfig.Limits l = config.limits();
        int keys = Math.max(10_000, l.maxSessions());
        this.messagesPerSession = new RateLimiter(l.requestsPerMinute(), keys);
        this.votesPerSession = new RateLimiter(l.requestsPerMinute(), keys);
        this.messagesPerAddress = new RateLimiter(l.addressRequestsPerMinute(), keys);
        this.votesPerAddress = new RateLimiter(l.addressRequestsPerMinute(), keys);
        this.consentsPerAddress = new RateLimiter(l.newSessionsPerMinute(), keys);
        this.sessions = new SessionTable(l.maxSessions(), l.sessionIdleMinutes());
        this.gate = PromptGate.blockedWords(config.moderation().blockedWords());
        this.clientAddress = new ClientAddress(config.trustedProxies());
        this.chance = chance;
    }

    /**
     * Opens logs and the database under the config's data directory: cuts a torn last log line a
     * crash left, then catches the database up with the log, before anyone is served.
     */
    public static ArenaService open(ArenaConfig config) throws IOException {
        return open(config, ArenaChance.live());
    }

    /** Opens logs and the database under the config's data directory, with the given source of chance and time. */
    public static ArenaService open(ArenaConfig config, ArenaChance chance) throws IOException {
        Path data = Path.of(config.dataDir());
        ArenaConfig.Database db = config.database();
        EventStore store = EventStore.open(db == null ? null : db.url(), db == null ? null : db.user(),
                db == null ? null : db.password(), data);
        ConversationLog log = null;
        try {
            log = ConversationLog.open(data.resolve("logs"), store::offer);
            EventStore.Recovery recovery = store.follow(log.dir());
            ArenaService service = new ArenaService(config, log, store, chance.userKeys(data), chance);
            for (ConversationLog.TornLine t : log.repaired()) {
                service.startupNotes.add(log.dir() + "/" + t.describe());
            }
            if (!recovery.describe().isEmpty()) {
                service.startupNotes.add(recovery.describe());
            }
            return service;
        } catch (IOException | RuntimeException e) {
            if (log != null) {
                log.close();
            }
            store.close();
            throw e;
        }
    }

    /** What opening found and repaired (torn log lines, events caught up into the database), one line each. */
    public List<String> startupNotes() {
        return List.copyOf(startupNotes);
    }

    public ArenaConfig config() {
        return config;
    }

    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    /** Who the visitor is behind the configured trusted proxies. */
    public ClientAddress clientAddress() {
        return clientAddress;
    }

    public ConversationLog log() {
        return log;
    }

    public EventStore store() {
        return store;
    }

    /** The session with this id (the cookie's value), marked active; null when there is none. */
    public ArenaSession session(String id) {
        return sessions.find(id);
    }

    /** A user at this address accepted the terms: a new session (rate-limited per address). */
    public ArenaSession consent(String address) {
        String key = userKeys.keyOf(address);
        long wait = consentsPerAddress.acquire(key);
        if (wait > 0) {
            throw new ArenaException(429, "too many new sessions from your address; please wait a minute").retryAfter(wait);
        }
        return sessions.create(key);
    }

    int sessionCount() {
        return sessions.size();
    }

    /** One single-model turn: streams the answer to {@code onDelta}; returns the whole answer. */
    public String chat(ArenaSession s, String modelName, String prompt, Consumer<String> onDelta) {
        admit(s, prompt);
        ModelEndpoint model = models.get(modelName);
        if (model == null) {
            throw new ArenaException(400, "unknown model");
        }
        if (!gate.allows(prompt)) {
            onDelta.accept(PromptGate.MODERATION_MESSAGE);
            return PromptGate.MODERATION_MESSAGE;
        }
        synchronized (s) {
            if (s.chat == null || !s.chat.modelName().equals(modelName)) {
                s.chat = newState(modelName, ConversationTemplate.named(model.template()));
            }
            checkTurns(s.chat);
            return answer(s, model, s.chat, cut(prompt), onDelta);
        }
    }

    /** Ends the current single-model conversation; the next message starts a new one (FastChat's "Clear history"). */
    public void newChat(ArenaSession s) {
        synchronized (s) {
            s.chat = null;
        }
    }

    /** Starts a battle round: two different models, random when anonymous, or the named pair. */
    public void startBattle(ArenaSession s, boolean anony, String modelA, String modelB) {
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
            if (modelA.equals(modelB)) {
                throw new ArenaException(400, "pick two different models: a model against itself says nothing about either");
            }
            a = modelA;
            b = modelB;
        }
        synchronized (s) {
            s.battle = new ArenaSession.BattleRound(newState(a, ConversationTemplate.named(models.get(a).template())),
                    newState(b, ConversationTemplate.named(models.get(b).template())), anony);
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
            if (!gate.allows(prompt)) {
                onDelta.accept(0, PromptGate.MODERATION_MESSAGE);
                onDelta.accept(1, PromptGate.MODERATION_MESSAGE);
                return;
            }
            checkTurns(round.states[0]);
            String kept = cut(prompt);
            List<Future<String>> answers = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                int sideIndex = side;
                ChatState state = round.states[side];
                ModelEndpoint model = models.get(state.modelName());
                java.util.concurrent.Callable<String> call = () -> answer(s, model, state, kept, d -> onDelta.accept(sideIndex, d));
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
            limit(s, votesPerSession, votesPerAddress, "votes");
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
            try {
                record(now, row);
            } catch (ArenaException e) {
                round.voted = false; // not recorded: the user may vote again
                throw e;
            }
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
        return org.chatcorpus.battles.io.BattleLogCleaner.leaksIdentity(text.toString())
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

    /**
     * Records an upvote/downvote on the last answer of the current single-model chat (FastChat's
     * vote_last_response, which logs the chat's state; its UI disables the buttons until the next
     * answer, so each answer takes one vote).
     */
    public void voteSingle(ArenaSession s, String type) {
        if (!SINGLE_VOTES.contains(type)) {
            throw new ArenaException(400, "unknown vote type");
        }
        synchronized (s) {
            if (s.chat == null || s.chat.turns() == 0) {
                throw new ArenaException(409, "nothing to vote on yet");
            }
            if (s.chat.votedOnLastAnswer()) {
                throw new ArenaException(409, "this answer already has your vote");
            }
            limit(s, votesPerSession, votesPerAddress, "votes");
            double now = now();
            ObjectNode row = json.createObjectNode();
            row.put("tstamp", now);
            row.put("type", type);
            row.put("model", s.chat.modelName());
            row.set("state", s.chat.toJson(json));
            row.put("ip", s.userKey());
            record(now, row);
            s.chat.markVotedOnLastAnswer();
        }
    }

    private void admit(ArenaSession s, String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new ArenaException(400, "empty message");
        }
        limit(s, messagesPerSession, messagesPerAddress, "messages");
    }

    /** FastChat's hard cut-off {@code text[:INPUT_CHAR_LEN_LIMIT]}: the first maxPromptChars code points. */
    String cut(String prompt) {
        int limit = config.limits().maxPromptChars();
        if (prompt.length() <= limit || prompt.codePointCount(0, prompt.length()) <= limit) {
            return prompt;
        }
        return prompt.substring(0, prompt.offsetByCodePoints(0, limit));
    }

    /** Takes a token from the session's and the address's bucket, or refuses with 429 and when to retry. */
    private static void limit(ArenaSession s, RateLimiter perSession, RateLimiter perAddress, String what) {
        long wait = perSession.acquire(s.id());
        if (wait == 0) {
            wait = perAddress.acquire(s.userKey());
        }
        if (wait > 0) {
            throw new ArenaException(429, "too many " + what + "; please wait " + wait + (wait == 1 ? " second" : " seconds"))
                    .retryAfter(wait);
        }
    }

    private void checkTurns(ChatState state) {
        if (state.turns() >= config.limits().maxTurns()) {
            throw new ArenaException(409, "this conversation reached " + config.limits().maxTurns() + " turns; start a new one");
        }
    }

    /** Calls the model, updates the state and logs a chat event; a failed call stays in the state but is not logged. */
    private String answer(ArenaSession s, ModelEndpoint model, ChatState state, String prompt, Consumer<String> onDelta) {
        double start = now();
        state.addUser(prompt);
        String text;
        try {
            text = client.stream(model, ChatRequest.of(model, state.openAiMessages()), onDelta).text();
        } catch (ModelError e) {
            // The user sees the neutral text only: the cause names the model, which an anonymous battle must not show.
            onDelta.accept(NETWORK_ERROR_MSG);
            state.addAssistant(NETWORK_ERROR_MSG + "\n\n(error: " + e.getMessage() + ")");
            return NETWORK_ERROR_MSG;
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
        record(finish, row);
    }

    /**
     * Writes the event to the log and returns once it is durable there (the database follows the
     * log). When the log cannot take it the user is told, and nothing is acknowledged.
     */
    private void record(double tstamp, ObjectNode row) {
        String line;
        try {
            line = json.writeValueAsString(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a tree of strings and numbers always serialises
        }
        try {
            log.append(tstamp, line);
        } catch (IOException e) {
            System.err.println(e.getMessage());
            throw new ArenaException(503, "this could not be recorded just now; please try again");
        }
    }

    private double now() {
        return chance.now();
    }

    private ChatState newState(String model, ConversationTemplate template) {
        return new ChatState(model, template, ChatState.uuid4Hex(chance.nextLong(), chance.nextLong()));
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
