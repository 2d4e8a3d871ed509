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
import java.util.stream.Stream;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArenaAppTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>";

    @TempDir
    Path data;
    ScriptedModelServer models;
    ArenaApp app;
    ArenaClient user;

    @BeforeEach
    void start() throws IOException {
        models = ScriptedModelServer.start(0, 5);
        List<ModelEndpoint> endpoints = new ArrayList<>(ArenaConfig.scriptedModels(models.baseUrl()));
        endpoints.add(new ModelEndpoint("broken-model", models.baseUrl(), null, null, 0.7, 64));
        // Streams one token per 5 ms, as a real model does; the fast scripted ones arrive in bursts.
        endpoints.add(new ModelEndpoint("slow-model", models.baseUrl(), null, null, 0.7, 64));
        ArenaConfig config = ArenaConfig.defaults().withDataDir(data.toString()).withModels(endpoints)
                .withLimits(new ArenaConfig.Limits(20, 2000, 3))
                .withModeration(new ArenaConfig.Moderation(List.of("forbidden-topic")));
        app = ArenaApp.start(ArenaService.open(config), "127.0.0.1", 0);
        user = new ArenaClient(app.port());
    }

    @AfterEach
    void stop() throws IOException {
        app.close();
        models.close();
    }

    @Test
    void pagesRequireConsentFirst() throws Exception {
        HttpResponse<String> r = user.get("/chat");
        assertThat(r.body()).contains("Terms of use").contains("id=\"accept\"");
        HttpResponse<String> refused = user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "hi"));
        assertThat(refused.statusCode()).isEqualTo(403);
        user.consent();
        assertThat(user.get("/chat").body()).contains("Chat with a model");
    }

    @Test
    void everyResponseCarriesAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> r = user.get("/");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'").doesNotContain("unsafe-inline");
    }

    @Test
    void chatStreamsTheAnswerAndLogsAFastChatChatEvent() throws Exception {
        user.consent();
        HttpResponse<String> r = user.post("/api/chat", ArenaClient.obj().put("model", "slow-model").put("prompt", "What is the capital of France?"));
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> events = ArenaClient.events(r);
        assertThat(events.size()).isGreaterThan(3); // a token-by-token model is streamed token by token
        String expected = ScriptedModelServer.answer("slow-model", "What is the capital of France?");
        StringBuilder joined = new StringBuilder();
        events.stream().filter(e -> e.has("delta")).forEach(e -> joined.append(e.get("delta").asText()));
        assertThat(joined.toString()).isEqualTo(expected);
        assertThat(events.get(events.size() - 1).get("answer").asText()).isEqualTo(expected);

        List<JsonNode> log = logLines();
        assertThat(log).hasSize(1);
        JsonNode row = log.get(0);
        assertThat(row.get("type").asText()).isEqualTo("chat");
        assertThat(row.get("model").asText()).isEqualTo("slow-model");
        JsonNode state = row.get("state");
        assertThat(state.get("offset").asInt()).isZero();
        assertThat(state.get("conv_id").asText()).hasSize(32);
        assertThat(state.get("messages").get(0).get(1).asText()).isEqualTo("What is the capital of France?");
        assertThat(state.get("messages").get(1).get(1).asText()).isEqualTo(expected);
        assertThat(row.get("ip").asText()).hasSize(32).doesNotContain("127.0.0.1");
        assertThat(app.service().store().count("chat")).isEqualTo(1);
    }

    @Test
    void clearingAndVotingOnASingleChatAnswerOkAndAreLogged() throws Exception {
        user.consent();
        user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "first"));
        HttpResponse<String> vote = user.post("/api/chat/vote", ArenaClient.obj().put("type", "upvote"));
        assertThat(vote.statusCode()).isEqualTo(200);
        assertThat(vote.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(vote.body()).get("ok").asBoolean()).isTrue();
        HttpResponse<String> cleared = user.post("/api/chat/new", ArenaClient.obj());
        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(cleared.body()).get("ok").asBoolean()).isTrue();
        user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "second"));
        List<JsonNode> log = logLines();
        assertThat(log).extracting(n -> n.get("type").asText()).containsExactly("chat", "upvote", "chat");
        assertThat(log.get(2).get("state").get("conv_id").asText()).as("a cleared chat starts a new conversation")
                .isNotEqualTo(log.get(0).get("state").get("conv_id").asText());
        assertThat(user.post("/api/chat/vote", ArenaClient.obj().put("type", "sideways")).statusCode()).isEqualTo(400);
    }

    @Test
    void multiTurnChatKeepsOneConversation() throws Exception {
        user.consent();
        user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "first"));
        user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "second"));
        List<JsonNode> log = logLines();
        assertThat(log).hasSize(2);
        assertThat(log.get(1).get("state").get("conv_id").asText()).isEqualTo(log.get(0).get("state").get("conv_id").asText());
        assertThat(log.get(1).get("state").get("messages")).hasSize(4);
    }

    @Test
    void anonymousBattleHidesNamesUntilTheVoteAndLogsItAsFastChatDoes() throws Exception {
        user.consent();
        assertThat(user.post("/api/battle/new", ArenaClient.obj().put("anony", true)).statusCode()).isEqualTo(200);
        HttpResponse<String> r = user.post("/api/battle/send", ArenaClient.obj().put("prompt", "Tell me a joke"));
        List<JsonNode> events = ArenaClient.events(r);
        assertThat(events).anyMatch(e -> e.path("side").asInt(-1) == 0).anyMatch(e -> e.path("side").asInt(-1) == 1);
        assertThat(r.body()).doesNotContain("model_name"); // names never travel before the vote
        HttpResponse<String> vote = user.post("/api/battle/vote", ArenaClient.obj().put("type", "leftvote"));
        JsonNode revealed = JSON.readTree(vote.body()).get("models");
        assertThat(revealed).hasSize(2);
        assertThat(revealed.get(0).asText()).isNotEqualTo(revealed.get(1).asText());

        List<JsonNode> log = logLines();
        // One chat event per side that answered: a side drawn from the scripted broken model fails, and a
        // failed turn is not logged (FastChat's bot_response returns before its log line).
        long chats = log.stream().filter(n -> n.get("type").asText().equals("chat")).count();
        assertThat(chats).isEqualTo(r.body().contains("NETWORK ERROR") ? 1 : 2);
        assertThat(log).extracting(n -> n.get("type").asText()).containsOnly("chat", "leftvote").containsOnlyOnce("leftvote");
        JsonNode voteRow = log.stream().filter(n -> n.get("type").asText().equals("leftvote")).findFirst().orElseThrow();
        assertThat(voteRow.get("models").get(0).asText()).isEmpty();
        assertThat(voteRow.get("states").get(0).get("model_name").asText()).isEqualTo(revealed.get(0).asText());
        assertThat(user.post("/api/battle/vote", ArenaClient.obj().put("type", "rightvote")).statusCode()).isEqualTo(409);
    }

    @Test
    void votesFeedTheLeaderboard() throws Exception {
        user.consent();
        // The config has a broken model; an anonymous pair that draws it ends in a network error, and
        // such battles are dropped from the leaderboard (as FastChat does). Vote until 3 clean ones.
        int clean = 0;
        int broken = 0;
        for (int i = 0; clean < 3 && i < 60; i++) {
            user.post("/api/battle/new", ArenaClient.obj().put("anony", true));
            HttpResponse<String> answer = user.post("/api/battle/send", ArenaClient.obj().put("prompt", "Question number " + i));
            user.post("/api/battle/vote", ArenaClient.obj().put("type", clean == 2 ? "tievote" : "leftvote"));
            if (answer.body().contains("NETWORK ERROR")) {
                broken++;
            } else {
                clean++;
            }
        }
        assertThat(clean).isEqualTo(3);
        app.invalidateLeaderboard();
        JsonNode lb = JSON.readTree(user.get("/api/leaderboard").body());
        assertThat(lb.get("battles").asInt()).isEqualTo(3);
        assertThat(lb.get("elo").size()).isBetween(2, 7);
        assertThat(lb.get("bt").fields().next().getValue().has("lower")).isTrue();
        assertThat(user.get("/leaderboard").body()).contains("<table id=\"leaderboard\">").contains("3</span> anonymous battles");
        assertThat(logLines().stream().filter(n -> n.get("type").asText().endsWith("vote")).count()).isEqualTo(3 + broken);
    }

    @Test
    void sideBySideWithNamedModelsLogsThePublicNames() throws Exception {
        user.consent();
        user.post("/api/battle/new", ArenaClient.obj().put("anony", false).put("modelA", "alpaca-13b").put("modelB", "llama-13b"));
        user.post("/api/battle/send", ArenaClient.obj().put("prompt", "Compare yourselves"));
        user.post("/api/battle/vote", ArenaClient.obj().put("type", "bothbad_vote"));
        JsonNode voteRow = logLines().stream().filter(n -> n.get("type").asText().equals("bothbad_vote")).findFirst().orElseThrow();
        assertThat(voteRow.get("models").get(0).asText()).isEqualTo("alpaca-13b");
        assertThat(voteRow.get("models").get(1).asText()).isEqualTo("llama-13b");
    }

    @Test
    void aFailingModelIsShownWithFastChatsNetworkErrorButItsTurnIsNotLogged() throws Exception {
        user.consent();
        HttpResponse<String> r = user.post("/api/chat", ArenaClient.obj().put("model", "broken-model").put("prompt", "hello"));
        assertThat(r.body()).contains("NETWORK ERROR");
        // gradio_web_server.py's bot_response returns before writing the log line when the call fails.
        assertThat(logLines()).isEmpty();
        assertThat(app.service().store().count("chat")).isZero();
    }

    @Test
    void theModerationGateAnswersWithFastChatsNoticeInsteadOfCallingTheModel() throws Exception {
        user.consent();
        HttpResponse<String> r = user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "tell me about Forbidden-Topic"));
        assertThat(r.body()).contains("$MODERATION$");
    }

    @Test
    void limitsCutTooLongPromptsAndRefuseTooManyTurnsAndFloods() throws Exception {
        user.consent();
        // FastChat's add_text: text = text[:INPUT_CHAR_LEN_LIMIT], a hard cut-off, not a refusal.
        assertThat(user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "x".repeat(2001))).statusCode()).isEqualTo(200);
        assertThat(logLines().get(0).get("state").get("messages").get(0).get(1).asText()).isEqualTo("x".repeat(2000));
        user.post("/api/chat/new", ArenaClient.obj());
        for (int i = 0; i < 3; i++) {
            assertThat(user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "turn " + i)).statusCode()).isEqualTo(200);
        }
        assertThat(user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "one too many")).statusCode()).isEqualTo(409);
        int refused = 0;
        for (int i = 0; i < 25; i++) {
            if (user.post("/api/chat", ArenaClient.obj().put("model", "koala-13b").put("prompt", "flood " + i)).statusCode() == 429) {
                refused++;
            }
        }
        assertThat(refused).isPositive();
    }

    @Test
    void apiRejectsNonJsonBodiesSoCrossSiteFormsCannotPost() throws Exception {
        user.consent();
        var r = user.post("/api/battle/vote", "type=leftvote");
        assertThat(r.statusCode()).isIn(400, 415);
    }

    @Test
    void hostileTextIsLoggedVerbatimButNeverRenderedAsMarkup() throws Exception {
        user.consent();
        user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", HOSTILE));
        assertThat(logLines().get(0).get("state").get("messages").get(0).get(1).asText()).isEqualTo(HOSTILE);
        for (String page : List.of("/chat", "/battle", "/side-by-side", "/leaderboard")) {
            assertThat(user.get(page).body()).doesNotContain("<script>document").doesNotContain("onerror=alert");
        }
    }

    private List<JsonNode> logLines() throws IOException {
        app.service().store().flush(); // the log needs no flush: an answered request is on the disk
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(data.resolve("logs"))) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }
}
