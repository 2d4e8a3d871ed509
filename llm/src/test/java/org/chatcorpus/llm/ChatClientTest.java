package org.chatcorpus.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;

class ChatClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(50));

    private static ChatClient client() {
        return new ChatClient(Duration.ofSeconds(10), FAST);
    }

    @Test
    void completeReturnsTheAnswerAndItsTokenUsageAndSendsTheRequestAsOpenAiDoes() throws Exception {
        try (ScriptedEndpoint server = new ScriptedEndpoint((call, body, ex) ->
                ScriptedEndpoint.send(ex, 200, "application/json", ScriptedEndpoint.completion("Paris.", 12, 3)))) {
            ModelEndpoint judge = ModelEndpoint.parseJudge("gpt-4@" + server.baseUrl(), null);
            ChatReply reply = client().complete(judge, ChatRequest.of(judge, List.of(Message.user("Capital of France?"))));
            assertThat(reply.text()).isEqualTo("Paris.");
            assertThat(reply.promptTokens()).isEqualTo(12);
            assertThat(reply.completionTokens()).isEqualTo(3);
            JsonNode sent = JSON.readTree(server.bodies.get(0));
            assertThat(sent.path("model").asText()).isEqualTo("gpt-4");
            assertThat(sent.path("stream").asBoolean()).isFalse();
            assertThat(sent.path("temperature").asDouble()).isEqualTo(0.0);
            assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("Capital of France?");
        }
    }

    @Test
    void aRateLimitIsRetriedAfterTheServersRetryAfter() throws Exception {
        try (ScriptedEndpoint server = new ScriptedEndpoint((call, body, ex) -> {
            if (call == 1) {
                ex.getResponseHeaders().set("Retry-After", "0.05");
                ScriptedEndpoint.send(ex, 429, "application/json", "{\"error\":{\"message\":\"slow down\"}}");
            } else {
                ScriptedEndpoint.send(ex, 200, "application/json", ScriptedEndpoint.completion("ok", 1, 1));
            }
        })) {
            ModelEndpoint m = ModelEndpoint.parseModel("m=" + server.baseUrl());
            assertThat(client().complete(m, ChatRequest.of(m, List.of(Message.user("hi")))).text()).isEqualTo("ok");
            assertThat(server.calls()).isEqualTo(2);
        }
    }

    @Test
    void aPersistentServerErrorFailsAfterTheLastAttemptWithStatusAndMessage() throws Exception {
        try (ScriptedEndpoint server = new ScriptedEndpoint((call, body, ex) ->
                ScriptedEndpoint.send(ex, 503, "application/json", "{\"error\":{\"message\":\"overloaded\"}}"))) {
            ModelEndpoint m = ModelEndpoint.parseModel("m=" + server.baseUrl());
            assertThatThrownBy(() -> client().complete(m, ChatRequest.of(m, List.of(Message.user("hi")))))
                    .isInstanceOfSatisfying(ModelError.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.getMessage()).isEqualTo("model m answered HTTP 503: overloaded");
                    });
            assertThat(server.calls()).isEqualTo(3);
        }
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        try (ScriptedEndpoint server = new ScriptedEndpoint((call, body, ex) ->
                ScriptedEndpoint.send(ex, 401, "application/json", "{\"error\":{\"message\":\"bad key\"}}"))) {
            ModelEndpoint m = ModelEndpoint.parseModel("m=" + server.baseUrl());
            assertThatThrownBy(() -> client().complete(m, ChatRequest.of(m, List.of(Message.user("hi")))))
                    .isInstanceOf(ModelError.class).hasMessageContaining("HTTP 401: bad key");
            assertThat(server.calls()).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableEndpointIsNamed() {
        ModelEndpoint m = ModelEndpoint.parseModel("gone=http://127.0.0.1:1/v1");
        assertThatThrownBy(() -> new ChatClient(Duration.ofSeconds(2), RetryPolicy.NONE)
                .complete(m, ChatRequest.of(m, List.of(Message.user("hi")))))
                .isInstanceOf(ModelError.class).hasMessageContaining("model gone is unreachable");
    }

    @Test
    void streamHandsOnDeltasAndReturnsTheWholeAnswer() throws Exception {
        try (ScriptedEndpoint server = new ScriptedEndpoint((call, body, ex) -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (String piece : new String[] {"Hel", "lo", " wörld"}) {
                    out.write(("data: {\"choices\":[{\"delta\":{\"content\":" + ScriptedEndpoint.quote(piece) + "}}]}\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write("data: {\"choices\":[{\"delta\":{}}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":3}}\n\ndata: [DONE]\n\n"
                        .getBytes(StandardCharsets.UTF_8));
            }
        })) {
            ModelEndpoint m = ModelEndpoint.parseModel("m=" + server.baseUrl());
            List<String> deltas = new ArrayList<>();
            ChatReply reply = client().stream(m, ChatRequest.of(m, List.of(Message.user("hi"))), deltas::add);
            assertThat(reply.text()).isEqualTo("Hello wörld");
            assertThat(String.join("", deltas)).isEqualTo("Hello wörld");
            assertThat(reply.completionTokens()).isEqualTo(3);
            assertThat(JSON.readTree(server.bodies.get(0)).path("stream").asBoolean()).isTrue();
        }
    }

    @Test
    void anErrorEventInTheStreamEndsTheAnswerWithItsMessage() throws Exception {
        try (ScriptedEndpoint server = new ScriptedEndpoint((call, body, ex) ->
                ScriptedEndpoint.send(ex, 200, "text/event-stream",
                        "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"error\":{\"message\":\"CUDA out of memory\"}}\n\n"))) {
            ModelEndpoint m = ModelEndpoint.parseModel("m=" + server.baseUrl());
            assertThatThrownBy(() -> client().stream(m, ChatRequest.of(m, List.of(Message.user("hi"))), d -> { }))
                    .isInstanceOf(ModelError.class).hasMessage("model m reported: CUDA out of memory");
        }
    }

    @Test
    void aLoneSurrogateInAPromptIsSentAsAReplacementCharacter() throws Exception {
        try (ScriptedEndpoint server = new ScriptedEndpoint((call, body, ex) ->
                ScriptedEndpoint.send(ex, 200, "application/json", ScriptedEndpoint.completion("ok", 1, 1)))) {
            ModelEndpoint m = ModelEndpoint.parseModel("m=" + server.baseUrl());
            client().complete(m, ChatRequest.of(m, List.of(Message.user("a\ud800b"))));
            assertThat(JSON.readTree(server.bodies.get(0)).path("messages").get(0).path("content").asText()).isEqualTo("a\uFFFDb");
        }
    }
}
