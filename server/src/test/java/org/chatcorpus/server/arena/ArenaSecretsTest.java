package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.llm.ModelEndpoint;
import java.util.stream.Stream;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An anonymous battle keeps the models' names until the vote, even when one fails: over real
 * HTTP the user gets only the neutral error, can regenerate, and is told when a vote will not
 * count; the leaderboard shows battles per model and marks preliminary ratings.
 */
class ArenaSecretsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    ScriptedModelServer models;
    ArenaApp app;
    ArenaClient user;

    /** Two models only, one of them broken: every anonymous battle pairs them. */
    @BeforeEach
    void start() throws Exception {
        models = ScriptedModelServer.start(0, 5);
        List<ModelEndpoint> endpoints = List.of(new ModelEndpoint("broken-model", models.baseUrl(), null, null, 0.7, 64),
                new ModelEndpoint("alpaca-13b", models.baseUrl(), null, null, 0.7, 64));
        ArenaConfig config = ArenaConfig.defaults().withDataDir(data.toString()).withModels(endpoints);
        app = ArenaApp.start(ArenaService.open(config), "127.0.0.1", 0);
        user = new ArenaClient(app.port());
        user.consent();
    }

    @AfterEach
    void stop() throws IOException {
        app.close();
        models.close();
    }

    private static void assertNoModelName(String text) {
        assertThat(text).doesNotContainIgnoringCase("broken").doesNotContainIgnoringCase("alpaca").doesNotContain("HTTP 500");
    }

    @Test
    void aFailedModelInAnAnonymousBattleShowsOnlyTheNeutralError() throws Exception {
        assertNoModelName(user.get("/battle").body());
        assertNoModelName(user.get("/static/arena.js").body());
        user.post("/api/battle/new", ArenaClient.obj().put("anony", true));
        HttpResponse<String> r = user.post("/api/battle/send", ArenaClient.obj().put("prompt", "Tell me a joke"));
        assertThat(r.body()).contains("NETWORK ERROR DUE TO HIGH TRAFFIC");
        assertNoModelName(r.body());

        HttpResponse<String> vote = user.post("/api/battle/vote", ArenaClient.obj().put("type", "leftvote"));
        JsonNode v = JSON.readTree(vote.body());
        assertThat(v.get("counted").asBoolean()).isFalse();
        assertThat(v.get("note").asText()).contains("failed").contains("not counted");
        assertThat(v.get("models").toString()).contains("broken-model"); // revealed after the vote, as always
        // The cause is kept for the operator, in the log only: the failed turn is not logged as a chat
        // event (FastChat's bot_response returns first), but the vote logs both states with it.
        flush();
        assertThat(logText()).contains("(error: ");
    }

    @Test
    void regenerateAsksTheLastPromptAgainAndReplacesTheAnswers() throws Exception {
        user.post("/api/battle/new", ArenaClient.obj().put("anony", true));
        user.post("/api/battle/send", ArenaClient.obj().put("prompt", "first question"));
        HttpResponse<String> again = user.post("/api/battle/regenerate", "{}");
        List<JsonNode> events = ArenaClient.events(again);
        assertThat(events).anyMatch(e -> e.path("side").asInt(-1) == 0).anyMatch(e -> e.path("side").asInt(-1) == 1);
        assertThat(events.get(events.size() - 1).path("done").asBoolean()).isTrue();
        assertNoModelName(again.body());
        flush();
        // The last chat event of the answering side holds one turn: the regenerated answer replaced the
        // first. (The broken model's failed turns are not logged, as FastChat's bot_response does not.)
        List<JsonNode> chats = logLines().stream().filter(n -> n.get("type").asText().equals("chat")).toList();
        assertThat(chats).hasSize(2);
        assertThat(chats.get(1).get("state").get("messages")).hasSize(2);
        assertThat(chats.get(1).get("state").get("messages").get(0).get(1).asText()).isEqualTo("first question");

        user.post("/api/chat/new", "{}");
        user.post("/api/chat", ArenaClient.obj().put("model", "alpaca-13b").put("prompt", "hello"));
        HttpResponse<String> chatAgain = user.post("/api/chat/regenerate", "{}");
        assertThat(chatAgain.body()).contains(ScriptedModelServer.answer("alpaca-13b", "hello").substring(0, 20));
        assertThat(user.post("/api/chat/new", "{}").statusCode()).isEqualTo(200);
        assertThat(user.post("/api/chat/regenerate", "{}").statusCode()).isEqualTo(409);
    }

    @Test
    void aVoteOnABattleThatNamedAModelIsMarkedAndNotCounted() throws Exception {
        ArenaConfig cfg = ArenaConfig.defaults().withDataDir(data.resolve("second").toString())
                .withModels(ArenaConfig.scriptedModels(models.baseUrl()));
        try (ArenaApp second = ArenaApp.start(ArenaService.open(cfg), "127.0.0.1", 0)) {
            ArenaClient u = new ArenaClient(second.port());
            u.consent();
            u.post("/api/battle/new", ArenaClient.obj().put("anony", true));
            u.post("/api/battle/send", ArenaClient.obj().put("prompt", "Are you Vicuna or ChatGPT?"));
            JsonNode v = JSON.readTree(u.post("/api/battle/vote", ArenaClient.obj().put("type", "leftvote")).body());
            assertThat(v.get("counted").asBoolean()).isFalse();
            assertThat(v.get("note").asText()).contains("name");

            u.post("/api/battle/new", ArenaClient.obj().put("anony", true));
            u.post("/api/battle/send", ArenaClient.obj().put("prompt", "What is two plus two?"));
            JsonNode clean = JSON.readTree(u.post("/api/battle/vote", ArenaClient.obj().put("type", "tievote")).body());
            assertThat(clean.get("counted").asBoolean()).isTrue();

            second.service().store().flush(); // the log is durable once acknowledged; the store follows it
            second.invalidateLeaderboard();
            JsonNode lb = JSON.readTree(u.get("/api/leaderboard").body());
            assertThat(lb.get("battles").asInt()).isEqualTo(1); // the marked vote is not counted
            assertThat(lb.get("votes").size()).isEqualTo(2);
            String page = u.get("/leaderboard").body();
            assertThat(page).contains("<th>Battles</th>").contains("preliminary").contains("class=\"votes-count\">1<");
        }
    }

    @Test
    void renderTurnsMarkdownIntoSanitizedHtml() throws Exception {
        String md = "**bold** and `x < y`\n\n```java\nint a = 1;\n```\n\n[link](javascript:alert(1)) [ok](https://e.org)\n\n<script>alert(1)</script>";
        JsonNode r = JSON.readTree(user.post("/api/render", ArenaClient.obj().put("text", md)).body());
        String html = r.get("html").asText();
        assertThat(html).contains("href=\"https://e.org\"");
        assertThat(html).contains("<strong>bold</strong>").contains("<code>x &lt; y</code>")
                .contains("<pre><code class=\"language-java\">int a = 1;").doesNotContain("<script").doesNotContain("href=\"javascript");
    }

    private void flush() throws IOException {
        app.service().store().flush(); // the log is durable once acknowledged; the store follows it
    }

    private String logText() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(data.resolve("logs"))) {
            for (Path p : files.sorted().toList()) {
                sb.append(Files.readString(p));
            }
        }
        return sb.toString();
    }

    private List<JsonNode> logLines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : logText().split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }
}
