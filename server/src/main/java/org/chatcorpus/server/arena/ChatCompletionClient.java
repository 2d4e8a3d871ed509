package org.chatcorpus.server.arena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.chatcorpus.core.model.Message;

/**
 * Streams a chat completion from an OpenAI-compatible endpoint ({@code POST {base}/chat/completions}
 * with {@code stream: true}, server-sent events of {@code choices[0].delta.content}, ended by
 * {@code [DONE]}). Failures (HTTP errors, timeouts, broken streams) become a {@link ModelError}
 * so the Arena can show and log them as FastChat does.
 */
public final class ChatCompletionClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    public ChatCompletionClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A model call that failed; the message is safe to show to the user. */
    public static final class ModelError extends Exception {
        public ModelError(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Streams the answer to {@code onDelta} piece by piece and returns the whole answer. */
    public String stream(ModelEndpoint endpoint, List<Message> messages, Consumer<String> onDelta) throws ModelError {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", endpoint.model());
        body.put("stream", true);
        body.put("temperature", endpoint.temperature());
        body.put("max_tokens", endpoint.maxTokens());
        ArrayNode msgs = body.putArray("messages");
        for (Message m : messages) {
            msgs.addObject().put("role", m.role()).put("content", m.content());
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(trimSlash(endpoint.baseUrl()) + "/chat/completions"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        String key = endpoint.apiKey();
        if (key != null && !key.isBlank()) {
            req.header("Authorization", "Bearer " + key);
        }
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ModelError("model " + endpoint.name() + " is unreachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelError("interrupted while calling model " + endpoint.name(), e);
        }
        StringBuilder answer = new StringBuilder();
        try (InputStream in = resp.body();
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (resp.statusCode() != 200) {
                throw new ModelError("model " + endpoint.name() + " answered HTTP " + resp.statusCode(), null);
            }
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).trim();
                if (data.equals("[DONE]")) {
                    return answer.toString();
                }
                JsonNode chunk = JSON.readTree(data);
                if (chunk.has("error")) {
                    throw new ModelError("model " + endpoint.name() + " reported: " + chunk.path("error").path("message").asText("error"), null);
                }
                JsonNode delta = chunk.path("choices").path(0).path("delta").path("content");
                if (delta.isTextual() && !delta.asText().isEmpty()) {
                    answer.append(delta.asText());
                    onDelta.accept(delta.asText());
                }
            }
            return answer.toString(); // some servers end the stream without [DONE]
        } catch (IOException e) {
            throw new ModelError("model " + endpoint.name() + " stream broke: " + e.getClass().getSimpleName(), e);
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
