package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.chatcorpus.llm.ModelEndpoint;
import java.util.Map;
import java.util.stream.Stream;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.json.FastChatLogReader;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Arena logs what FastChat's web server logged (gradio_web_server.py and conversation.py, release commit 24acac17). */
class ArenaFidelityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    ScriptedModelServer models;
    ArenaApp app;

    private void start(ArenaConfig base) throws IOException {
        models = ScriptedModelServer.start(0, 5);
        List<ModelEndpoint> endpoints = new ArrayList<>(ArenaConfig.scriptedModels(models.baseUrl()));
        endpoints.add(new ModelEndpoint("one-shot-model", models.baseUrl(), "vicuna-13b", null, 0.7, 64, "one_shot"));
        ArenaConfig config = base.withDataDir(data.toString()).withModels(endpoints)
                .withLimits(new ArenaConfig.Limits(50, 10, 5))
                .withModeration(new ArenaConfig.Moderation(List.of("forbidden-topic")));
        app = ArenaApp.start(ArenaService.open(config), "127.0.0.1", 0);
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
    void theOneShotTemplateLogsItsExampleWithOffsetTwoAndCurationSkipsIt() throws Exception {
        start(ArenaConfig.defaults());
        ArenaClient user = new ArenaClient(app.port());
        user.consent();
        user.post("/api/chat", ArenaClient.obj().put("model", "one-shot-model").put("prompt", "Hi there"));
        user.post("/api/chat", ArenaClient.obj().put("model", "one-shot-model").put("prompt", "And now?"));
        List<JsonNode> log = logLines();
        JsonNode state = log.get(1).get("state");
        assertThat(state.get("template_name").asText()).isEqualTo("one_shot");
        assertThat(state.get("offset").asInt()).isEqualTo(2);
        assertThat(state.get("roles").toString()).isEqualTo("[\"Human\",\"Assistant\"]");
        assertThat(state.get("messages")).hasSize(6);
        assertThat(state.get("messages").get(0).get(0).asText()).isEqualTo("Human");
        assertThat(state.get("messages").get(2).get(1).asText()).isEqualTo("Hi there");
        // clean_chat_data.py reads messages[offset:]: the example is not part of the user's conversation.
        List<Conversation> cs = new FastChatLogReader().clean(List.of(logFiles().get(0)), Quarantine.counting()).conversations();
        assertThat(cs).hasSize(1);
        assertThat(cs.get(0).conversation()).hasSize(4);
        assertThat(cs.get(0).conversation().get(0)).isEqualTo(Message.user("Hi there"));
        assertThat(cs.get(0).turn()).isEqualTo(2);
    }

    @Test
    void theOneShotExampleIsFastChatsTextToTheByte() throws Exception {
        // sha256 of the two example messages of "one_shot" in fastchat/conversation.py at 24acac17.
        assertThat(sha256(ConversationTemplate.ONE_SHOT.examples().get(0)[1])).isEqualTo("caec926a5cb66296ecc700a41fabc833dc173c6b131efaf90842c5ccf47344bc");
        assertThat(sha256(ConversationTemplate.ONE_SHOT.examples().get(1)[1])).isEqualTo("5905c137294a99342732a207639cd4a87b471470cf5c2b45c227e8635a9f4d49");
    }

    @Test
    void theOneShotModelIsCalledWithTheSystemMessageAndWithoutTheExample() {
        ChatState s = new ChatState("m", ConversationTemplate.ONE_SHOT);
        s.addUser("Hi");
        assertThat(s.openAiMessages()).containsExactly(new Message(Message.SYSTEM, ConversationTemplate.ONE_SHOT.systemMessage()), Message.user("Hi"));
        assertThat(s.turns()).isZero();
    }

    @Test
    void aPromptOverTheLimitIsCutByCodePointsAsAPythonSlice() throws Exception {
        start(ArenaConfig.defaults());
        ArenaClient user = new ArenaClient(app.port());
        user.consent();
        String prompt = "😀".repeat(12);
        assertThat(user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", prompt)).statusCode()).isEqualTo(200);
        assertThat(logLines().get(0).get("state").get("messages").get(0).get(1).asText()).isEqualTo("😀".repeat(10));
    }

    @Test
    void aPromptTheGateBlocksIsAnsweredButNeitherKeptNorLogged() throws Exception {
        start(ArenaConfig.defaults());
        ArenaClient user = new ArenaClient(app.port());
        user.consent();
        assertThat(user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "forbidden-topic")).body())
                .contains("$MODERATION$");
        user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "fine"));
        List<JsonNode> log = logLines();
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("state").get("messages")).hasSize(2);
    }

    @Test
    void forwardedAddressesNameTheUserOnlyBehindATrustedProxy() throws Exception {
        start(ArenaConfig.defaults().withTrustedProxies(List.of("127.0.0.1")));
        for (String visitor : List.of("198.51.100.1", "198.51.100.2")) {
            ArenaClient user = new ArenaClient(app.port(), Map.of("X-Forwarded-For", "203.0.113.9, " + visitor));
            user.consent();
            user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "hello from " + visitor));
        }
        List<JsonNode> log = logLines();
        assertThat(log.get(0).get("ip").asText()).isNotEqualTo(log.get(1).get("ip").asText());
    }

    @Test
    void forwardedAddressesAreIgnoredWithoutATrustedProxy() throws Exception {
        start(ArenaConfig.defaults());
        for (String visitor : List.of("198.51.100.1", "198.51.100.2")) {
            ArenaClient user = new ArenaClient(app.port(), Map.of("X-Forwarded-For", visitor, "CF-Connecting-IP", visitor));
            user.consent();
            user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", "hello from " + visitor));
        }
        List<JsonNode> log = logLines();
        assertThat(log.get(0).get("ip").asText()).isEqualTo(log.get(1).get("ip").asText());
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private List<Path> logFiles() throws IOException {
        app.service().store().flush();
        try (Stream<Path> files = Files.list(data.resolve("logs"))) {
            return files.sorted().toList();
        }
    }

    private List<JsonNode> logLines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Path f : logFiles()) {
            for (String line : Files.readAllLines(f)) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }
}
