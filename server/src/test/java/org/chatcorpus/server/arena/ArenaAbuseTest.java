package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Arena under hostile use, over real HTTP on loopback from distinct client addresses
 * (127.0.0.N): text no encoder takes, repeated votes, floods of messages, sessions and cookie-less
 * requests, cross-site posts. Each test is one finding of the reliability campaign (issue 18).
 */
class ArenaAbuseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"model\":\"vicuna-13b\",\"prompt\":\"%s\"}";

    @TempDir
    Path data;
    ScriptedModelServer models;
    ArenaApp app;

    private int start(ArenaConfig.Limits limits, boolean tlsProxy) throws IOException {
        models = ScriptedModelServer.start(0);
        ArenaConfig config = ArenaConfig.defaults().withDataDir(data.toString())
                .withModels(ArenaConfig.scriptedModels(models.baseUrl())).withLimits(limits).withTlsProxy(tlsProxy);
        app = ArenaApp.start(ArenaService.open(config), "127.0.0.1", 0);
        return app.port();
    }

    private int start() throws IOException {
        return start(new ArenaConfig.Limits(1000, 2000, 50), false);
    }

    @AfterEach
    void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (models != null) {
            models.close();
        }
    }

    @Test
    void aPromptWithALoneSurrogateIsScrubbedAndLoggingGoesOnForEveryone() throws Exception {
        int port = start();
        LoopbackUser user = new LoopbackUser("127.0.0.1", port);
        user.consent();
        // The JSON escape itself, as a browser's JSON.stringify sends a lone surrogate.
        LoopbackUser.Response broken = user.postJson("/api/chat", "{\"model\":\"vicuna-13b\",\"prompt\":\"broken \\ud800 text\"}");
        assertThat(broken.status()).isEqualTo(200);
        assertThat(broken.body()).contains("\"done\":true");
        LoopbackUser other = new LoopbackUser("127.0.0.2", port);
        other.consent();
        assertThat(other.postJson("/api/chat", CHAT.formatted("after the lone surrogate")).body()).contains("\"done\":true");
        assertThat(other.postJson("/api/chat/vote", "{\"type\":\"upvote\"}").status()).isEqualTo(200);
        assertThat(other.postJson("/api/battle/new", "{\"anony\":true}").status()).isEqualTo(200);
        assertThat(other.postJson("/api/battle/send", "{\"prompt\":\"a battle \\udfff after it\"}").body()).contains("\"done\":true");
        assertThat(other.postJson("/api/battle/vote", "{\"type\":\"tievote\"}").status()).isEqualTo(200);
        assertThat(other.get("/leaderboard").status()).isEqualTo(200);

        List<String> lines = logLines();
        assertThat(lines).hasSize(6); // chat, chat, upvote, two battle chats, tievote
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("state").get("messages").get(0).get(1).asText()).isEqualTo("broken \uFFFD text");
        assertThat(String.join("\n", lines)).contains("after the lone surrogate").contains("a battle \uFFFD after it");
        assertThat(app.service().store().count(null)).isEqualTo(6);
        assertThat(app.service().store().count("tievote")).isEqualTo(1);
        assertThat(app.service().store().all()).extracting(org.chatcorpus.server.storage.EventStore.Event::payload).containsExactlyInAnyOrderElementsOf(lines);
    }

    @Test
    void eachAnswerAndEachBattleTakesOneVote() throws Exception {
        LoopbackUser user = new LoopbackUser("127.0.0.1", start());
        user.consent();
        user.postJson("/api/chat", CHAT.formatted("first"));
        assertThat(user.postJson("/api/chat/vote", "{\"type\":\"upvote\"}").status()).isEqualTo(200);
        LoopbackUser.Response again = user.postJson("/api/chat/vote", "{\"type\":\"downvote\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("already has your vote");
        user.postJson("/api/chat", CHAT.formatted("second"));
        assertThat(user.postJson("/api/chat/vote", "{\"type\":\"downvote\"}").status()).as("a new answer takes a new vote").isEqualTo(200);

        user.postJson("/api/battle/new", "{\"anony\":true}");
        user.postJson("/api/battle/send", "{\"prompt\":\"hello\"}");
        assertThat(user.postJson("/api/battle/vote", "{\"type\":\"leftvote\"}").status()).isEqualTo(200);
        assertThat(user.postJson("/api/battle/vote", "{\"type\":\"leftvote\"}").status()).isEqualTo(409);
        assertThat(logLines().stream().filter(l -> l.contains("vote\"")).count()).isEqualTo(3);
    }

    @Test
    void messagesAndVotesOverTheLimitGet429WithRetryAfter() throws Exception {
        LoopbackUser user = new LoopbackUser("127.0.0.1", start(new ArenaConfig.Limits(3, 2000, 50), false));
        user.consent();
        for (int i = 0; i < 3; i++) {
            assertThat(user.postJson("/api/chat", CHAT.formatted("turn " + i)).status()).isEqualTo(200);
        }
        LoopbackUser.Response refused = user.postJson("/api/chat", CHAT.formatted("one too many"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(user.postJson("/api/chat/vote", "{\"type\":\"upvote\"}").status()).as("votes have their own bucket").isEqualTo(200);
    }

    @Test
    void oneAddressSharesOneBudgetAcrossItsSessions() throws Exception {
        int port = start(new ArenaConfig.Limits(5, 2000, 50, 6, 10, 0, 0), false);
        LoopbackUser a = new LoopbackUser("127.0.0.5", port);
        LoopbackUser b = new LoopbackUser("127.0.0.5", port);
        a.consent();
        b.consent();
        int ok = 0;
        for (int i = 0; i < 5; i++) {
            ok += a.postJson("/api/chat", CHAT.formatted("a" + i)).status() == 200 ? 1 : 0;
            ok += b.postJson("/api/chat", CHAT.formatted("b" + i)).status() == 200 ? 1 : 0;
        }
        assertThat(ok).isEqualTo(6);
        LoopbackUser elsewhere = new LoopbackUser("127.0.0.6", port);
        elsewhere.consent();
        assertThat(elsewhere.postJson("/api/chat", CHAT.formatted("another address")).status()).isEqualTo(200);
    }

    @Test
    void crossSitePostsAreRefusedAndSameSitePostsPass() throws Exception {
        int port = start();
        LoopbackUser victim = new LoopbackUser("127.0.0.1", port);
        LoopbackUser.Response forged = victim.send("POST", "/consent", List.of("Origin: https://evil.example"), null);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("cross-site request refused").contains("evil.example");
        assertThat(victim.cookie()).isNull();
        assertThat(victim.send("POST", "/consent", List.of("Origin: null"), null).status()).isEqualTo(403);
        LoopbackUser.Response own = victim.send("POST", "/consent", List.of("Origin: http://127.0.0.1:" + port), null);
        assertThat(own.status()).isIn(302, 303);
        assertThat(victim.cookie()).isNotNull();
        victim.postJson("/api/chat", CHAT.formatted("hello"));
        assertThat(victim.postJson("/api/chat/vote", "{\"type\":\"upvote\"}", "Referer: https://evil.example/page").status()).isEqualTo(403);
        assertThat(victim.postJson("/api/chat/vote", "{\"type\":\"upvote\"}", "Sec-Fetch-Site: cross-site").status()).isEqualTo(403);
        assertThat(victim.postJson("/api/chat/vote", "{\"type\":\"upvote\"}", "Referer: http://127.0.0.1:" + port + "/chat").status()).isEqualTo(200);
        victim.postJson("/api/chat", CHAT.formatted("again"));
        assertThat(victim.postJson("/api/chat/vote", "{\"type\":\"upvote\"}", "Sec-Fetch-Site: same-origin", "Origin: null").status())
                .as("the browser's own word for a same-origin request").isEqualTo(200);
    }

    @Test
    void theSessionCookieIsSecureBehindATlsProxyOnly() throws Exception {
        LoopbackUser plain = new LoopbackUser("127.0.0.1", start());
        assertThat(plain.consent().header("Set-Cookie")).contains("HttpOnly").doesNotContain("Secure");
        stop();
        LoopbackUser proxied = new LoopbackUser("127.0.0.1", start(new ArenaConfig.Limits(30, 2000, 50), true));
        assertThat(proxied.consent().header("Set-Cookie")).contains("HttpOnly").contains("Secure");
    }

    @Test
    void behindTheProxyEachUserIsKnownByTheAddressTheProxySaw() throws Exception {
        int port = start(new ArenaConfig.Limits(30, 2000, 50, 0, 1, 0, 0), true); // one new session a minute per address
        List<String> keys = new ArrayList<>();
        for (String client : List.of("203.0.113.7", "198.51.100.4")) {
            LoopbackUser u = new LoopbackUser("127.0.0.1", port); // the proxy's own connection
            assertThat(u.send("POST", "/consent", List.of("X-Forwarded-For: 10.9.9.9, " + client), null).status()).isIn(302, 303);
            u.send("POST", "/api/chat", List.of("X-Forwarded-For: " + client, "Content-Type: application/json"),
                    CHAT.formatted("hello").getBytes(StandardCharsets.UTF_8));
        }
        for (String line : logLines()) {
            keys.add(JSON.readTree(line).get("ip").asText());
        }
        assertThat(keys).hasSize(2).doesNotHaveDuplicates();
        LoopbackUser again = new LoopbackUser("127.0.0.1", port);
        assertThat(again.send("POST", "/consent", List.of("X-Forwarded-For: 198.51.100.4"), null).status())
                .as("the second session of one client address within the minute").isEqualTo(429);
    }

    @Test
    void sideBySideRefusesAModelAgainstItself() throws Exception {
        LoopbackUser user = new LoopbackUser("127.0.0.1", start());
        user.consent();
        LoopbackUser.Response r = user.postJson("/api/battle/new", "{\"anony\":false,\"modelA\":\"koala-13b\",\"modelB\":\"koala-13b\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("two different models");
    }

    @Test
    void anOmittedTemperatureIsFastChatsDefault() throws Exception {
        Path yaml = data.resolve("arena.yaml");
        Files.writeString(yaml, "models:\n  - {name: m, baseUrl: 'http://127.0.0.1:1/v1'}\n  - {name: cold, baseUrl: 'http://127.0.0.1:1/v1', temperature: 0}\n");
        ArenaConfig c = ArenaConfig.read(yaml);
        assertThat(c.models().get(0).temperature()).isEqualTo(0.7);
        assertThat(c.models().get(1).temperature()).as("an explicit 0 is kept").isEqualTo(0.0);
    }

    @Test
    void requestsWithoutASessionCreateNone() throws Exception {
        int port = start();
        LoopbackUser stranger = new LoopbackUser("127.0.0.9", port);
        for (int i = 0; i < 50; i++) {
            assertThat(stranger.get("/").status()).isEqualTo(200);
            assertThat(stranger.get("/chat").status()).isIn(302, 303);
            assertThat(stranger.postJson("/api/chat", CHAT.formatted("x")).status()).isEqualTo(403);
            assertThat(stranger.cookie()).isNull();
        }
        assertThat(app.service().sessionCount()).isZero();
    }

    /**
     * A flood from other addresses — sessions until the table is full, cookie-less requests, and a
     * message flood from the flooder's own sessions — while a user chats and votes: every one of the
     * user's requests succeeds and the session is never dropped. Correctness only, no timing.
     */
    @Test
    void aFloodNeitherEvictsNorStopsAnotherUser() throws Exception {
        int port = start(new ArenaConfig.Limits(20, 2000, 500, 0, 0, 20, 30), false);
        LoopbackUser victim = new LoopbackUser("127.0.0.2", port);
        victim.consent();
        String victimCookie = victim.cookie();
        AtomicInteger newSessions = new AtomicInteger();
        AtomicInteger full = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> flood = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int thread = t;
            flood.add(pool.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    LoopbackUser f = new LoopbackUser("127.0.1." + (1 + thread * 40 + i), port);
                    LoopbackUser.Response r = f.consent();
                    if (r.status() == 503) {
                        full.incrementAndGet();
                        assertThat(r.header("Retry-After")).isNotNull();
                    } else if (f.cookie() != null) {
                        newSessions.incrementAndGet();
                        for (int k = 0; k < 25; k++) {
                            if (f.postJson("/api/chat", CHAT.formatted("flood " + k)).status() == 429) {
                                limited.incrementAndGet();
                            }
                        }
                    }
                    LoopbackUser cookieless = new LoopbackUser("127.0.2." + (1 + thread), port);
                    for (int k = 0; k < 10; k++) {
                        cookieless.get("/");
                        cookieless.postJson("/api/chat/vote", "{\"type\":\"upvote\"}");
                    }
                }
                return null;
            }));
        }
        int victimTurns = 0;
        while (flood.stream().anyMatch(f -> !f.isDone()) || victimTurns < 5) {
            assertThat(victim.postJson("/api/chat/new", "{}").status()).isEqualTo(200);
            assertThat(victim.postJson("/api/chat", CHAT.formatted("victim turn " + victimTurns)).body()).contains("\"done\":true");
            assertThat(victim.postJson("/api/chat/vote", "{\"type\":\"upvote\"}").status()).isEqualTo(200);
            victimTurns++;
            if (victimTurns >= 19) {
                break; // the victim's own budget is 20 messages a minute
            }
        }
        for (Future<?> f : flood) {
            f.get();
        }
        pool.shutdown();
        assertThat(victim.cookie()).isEqualTo(victimCookie);
        assertThat(victim.postJson("/api/chat/vote", "{\"type\":\"upvote\"}").status()).as("still voted on its last answer").isEqualTo(409);
        assertThat(newSessions.get()).isEqualTo(19); // the table holds 20, the victim's included
        assertThat(full.get()).isEqualTo(120 - 19);
        assertThat(limited.get()).isPositive();
        assertThat(app.service().sessionCount()).isEqualTo(20);
    }

    private List<String> logLines() throws IOException {
        app.service().store().flush();
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(data.resolve("logs"))) {
            for (Path f : files.sorted().toList()) {
                byte[] bytes = Files.readAllBytes(f);
                // Strictly valid UTF-8: a lenient read would hide a writer that wrote garbage.
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                out.addAll(text.lines().toList());
            }
        }
        return out;
    }
}
