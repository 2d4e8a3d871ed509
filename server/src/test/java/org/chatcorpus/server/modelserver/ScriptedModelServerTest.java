package org.chatcorpus.server.modelserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loopback model speaks OpenAI's chat completions as clients expect, whatever the model name and prompt hold. */
class ScriptedModelServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theNonStreamingCompletionIsTheOpenAiJson() throws Exception {
        try (ScriptedModelServer server = ScriptedModelServer.start(0)) {
            HttpResponse<String> r = send(server, "POST", "/chat/completions", completion("vicuna-13b", "Hello \"there\"", false));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("object").asText()).isEqualTo("chat.completion");
            assertThat(body.at("/choices/0/message/content").asText()).isEqualTo(ScriptedModelServer.answer("vicuna-13b", "Hello \"there\""));
            assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        }
    }

    @Test
    void theModelListAnswersGetWithOrWithoutATrailingSlashAndHead() throws Exception {
        try (ScriptedModelServer server = ScriptedModelServer.start(0)) {
            assertThat(send(server, "GET", "/models", null).body()).isEqualTo("{\"object\":\"list\",\"data\":[]}");
            assertThat(send(server, "GET", "/models/", null).body()).isEqualTo("{\"object\":\"list\",\"data\":[]}");
            HttpResponse<String> head = send(server, "HEAD", "/models", null);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void failuresAreOpenAiStyleJsonErrors() throws Exception {
        try (ScriptedModelServer server = ScriptedModelServer.start(0)) {
            HttpResponse<String> broken = send(server, "POST", "/chat/completions", completion("broken-model", "hi", true));
            assertThat(broken.statusCode()).isEqualTo(500);
            assertThat(broken.body()).isEqualTo("{\"error\":{\"message\":\"scripted failure\"}}");
            HttpResponse<String> notJson = send(server, "POST", "/chat/completions", "{not json");
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(notJson.body()).at("/error/message").asText()).isEqualTo("invalid JSON");
            HttpResponse<String> unknown = send(server, "GET", "/embeddings", null);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(unknown.body()).at("/error/message").asText()).startsWith("no endpoint /v1/embeddings");
            HttpResponse<String> wrongMethod = send(server, "GET", "/chat/completions", null);
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
        }
    }

    @Test
    void theServerOnlyListensOnLoopbackAndItsPortIsFreeAfterClose() throws Exception {
        int port;
        try (ScriptedModelServer server = ScriptedModelServer.start(0)) {
            port = server.port();
            assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + port + "/v1");
        }
        try (ScriptedModelServer again = ScriptedModelServer.start(port)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    private static HttpResponse<String> send(ScriptedModelServer server, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String completion(String model, String prompt, boolean stream) throws IOException {
        var body = JSON.createObjectNode().put("model", model).put("stream", stream);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return JSON.writeValueAsString(body);
    }

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
