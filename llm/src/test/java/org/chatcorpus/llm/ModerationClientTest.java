package org.chatcorpus.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModerationClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(50));

    @Test
    void sendsTheBatchWithTheKeyAndReturnsOneResultPerInputInOrderAfterARateLimit() throws Exception {
        try (ScriptedEndpoint server = new ScriptedEndpoint("/v1/moderations", (call, body, ex) -> {
            if (call == 1) {
                ex.getResponseHeaders().set("Retry-After", "0.01");
                ScriptedEndpoint.send(ex, 429, "application/json", "{\"error\":{\"message\":\"slow down\"}}");
                return;
            }
            StringBuilder results = new StringBuilder();
            for (JsonNode t : JSON.readTree(body).path("input")) {
                results.append(results.length() == 0 ? "" : ",").append("{\"flagged\":").append(t.asText().contains("kill")).append('}');
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            ScriptedEndpoint.send(ex, "Bearer k".equals(auth) ? 200 : 401, "application/json", "{\"results\":[" + results + "]}");
        })) {
            ModerationClient client = new ModerationClient(new ChatClient(Duration.ofSeconds(5), FAST));
            List<JsonNode> out = client.moderate(server.baseUrl(), "k", "omni-moderation-latest", List.of("hello", "I will kill him", "a\ud800"));
            assertThat(out).extracting(n -> n.path("flagged").asBoolean()).containsExactly(false, true, false);
            assertThat(server.calls()).isEqualTo(2);
            JsonNode sent = JSON.readTree(server.bodies.get(1));
            assertThat(sent.path("model").asText()).isEqualTo("omni-moderation-latest");
            assertThat(sent.path("input").get(2).asText()).isEqualTo("a\uFFFD");
        }
    }

    @Test
    void aRefusedKeyIsNotRetriedAndAShortAnswerIsAnError() throws Exception {
        try (ScriptedEndpoint server = new ScriptedEndpoint("/v1/moderations", (call, body, ex) -> {
            if (ex.getRequestHeaders().getFirst("Authorization") == null) {
                ScriptedEndpoint.send(ex, 401, "application/json", "{\"error\":{\"message\":\"bad key\"}}");
            } else {
                ScriptedEndpoint.send(ex, 200, "application/json", "{\"results\":[{\"flagged\":false}]}");
            }
        })) {
            ModerationClient client = new ModerationClient(new ChatClient(Duration.ofSeconds(5), FAST));
            assertThatThrownBy(() -> client.moderate(server.baseUrl(), null, "m", List.of("a")))
                    .isInstanceOf(ModelError.class).hasMessage("model m answered HTTP 401: bad key");
            assertThat(server.calls()).isEqualTo(1);
            assertThatThrownBy(() -> client.moderate(server.baseUrl(), "k", "m", List.of("a", "b")))
                    .isInstanceOf(ModelError.class).hasMessage("moderation model m returned 1 results for 2 inputs");
        }
    }
}
