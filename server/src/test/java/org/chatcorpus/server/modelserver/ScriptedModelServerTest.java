package org.chatcorpus.server.modelserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loopback model's streamed chunks are valid OpenAI chunks whatever the model name and prompt hold. */
class ScriptedModelServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyStreamedChunkIsValidJsonAndTheDeltasRebuildTheAnswer() throws IOException {
        String model = "we\"ird\\model\n\u00e9";
        String prompt = "Quote \" backslash \\ newline \n tab \t control \u0001 emoji \uD83D\uDE00 </script>";
        try (ScriptedModelServer server = ScriptedModelServer.start(0)) {
            List<JsonNode> chunks = new ArrayList<>();
            boolean done = false;
            for (String line : post(server, model, prompt).split("\n")) {
                if (!line.startsWith("data: ")) {
                    assertThat(line).isEmpty();
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                chunks.add(JSON.readTree(data));
            }
            assertThat(done).isTrue();
            assertThat(chunks).hasSizeGreaterThan(3);
            StringBuilder text = new StringBuilder();
            for (JsonNode c : chunks) {
                assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
                assertThat(c.path("model").asText()).isEqualTo(model);
                assertThat(c.path("choices").get(0).path("index").asInt(-1)).isZero();
                text.append(c.path("choices").get(0).path("delta").path("content").asText());
            }
            assertThat(text.toString()).isEqualTo(ScriptedModelServer.answer(model, prompt));
        }
    }

    private static String post(ScriptedModelServer server, String model, String prompt) throws IOException {
        var body = JSON.createObjectNode().put("model", model).put("stream", true);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        HttpURLConnection c = (HttpURLConnection) URI.create(server.baseUrl() + "/chat/completions").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(JSON.writeValueAsBytes(body));
        }
        assertThat(c.getResponseCode()).isEqualTo(200);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
