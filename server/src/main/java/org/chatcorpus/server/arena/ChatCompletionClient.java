package org.chatcorpus.server.arena;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
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

    private final Duration timeout;

    /**
     * Uses HttpURLConnection rather than java.net.http.HttpClient: its blocking streams with the
     * JDK's keep-alive pool measured several times faster for many short streamed answers
     * (docs/bench/arena.md), and blocking fits the one-thread-per-request server.
     */
    public ChatCompletionClient(Duration timeout) {
        this.timeout = timeout;
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
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        HttpURLConnection conn = null;
        // A pooled keep-alive connection the server has just closed fails before any answer byte:
        // that one failure is retried once on a fresh connection (nothing reached the model).
        for (int attempt = 1; conn == null; attempt++) {
            try {
                conn = open(endpoint, payload);
            } catch (SocketTimeoutException e) {
                throw new ModelError("model " + endpoint.name() + " timed out", e);
            } catch (java.net.ConnectException e) {
                throw new ModelError("model " + endpoint.name() + " is unreachable: " + e.getClass().getSimpleName(), e);
            } catch (IOException e) {
                if (attempt >= 2) {
                    throw new ModelError("model " + endpoint.name() + " is unreachable: " + e.getClass().getSimpleName(), e);
                }
            }
        }
        StringBuilder answer = new StringBuilder();
        // Deltas that have already arrived together are handed on together: a model that streams
        // faster than we forward costs one write to the browser per burst, not one per token,
        // while a slow model's tokens still go out one by one as they come.
        StringBuilder pending = new StringBuilder();
        try (InputStream in = conn.getInputStream();
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    String data = line.substring(5).trim();
                    if (data.equals("[DONE]")) {
                        emit(pending, onDelta);
                        // Read to the end of the body so the connection goes back to the keep-alive pool.
                        while (reader.readLine() != null) {
                            // nothing after [DONE] matters
                        }
                        return answer.toString();
                    }
                    String delta = deltaContent(data, endpoint);
                    if (!delta.isEmpty()) {
                        answer.append(delta);
                        pending.append(delta);
                    }
                }
                if (!reader.ready()) {
                    emit(pending, onDelta);
                }
            }
            emit(pending, onDelta);
            return answer.toString(); // some servers end the stream without [DONE]
        } catch (SocketTimeoutException e) {
            throw new ModelError("model " + endpoint.name() + " timed out while answering", e);
        } catch (IOException e) {
            throw new ModelError("model " + endpoint.name() + " stream broke: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The text of one streamed chunk ({@code choices[0].delta.content}, "" when it has none), read
     * with the streaming parser: an answer arrives as dozens of chunks, and only this one string of
     * each matters. A chunk with an {@code error} member ends the answer with that message.
     */
    static String deltaContent(String data, ModelEndpoint endpoint) throws IOException, ModelError {
        try (JsonParser p = JSON.getFactory().createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "";
            }
            String content = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("error")) {
                    JsonNode error = JSON.readTree(p);
                    throw new ModelError("model " + endpoint.name() + " reported: " + error.path("message").asText("error"), null);
                }
                if (name.equals("choices") && p.currentToken() == JsonToken.START_ARRAY) {
                    boolean first = true;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (first && p.currentToken() == JsonToken.START_OBJECT) {
                            content = firstChoiceContent(p);
                        } else {
                            p.skipChildren();
                        }
                        first = false;
                    }
                } else {
                    p.skipChildren();
                }
            }
            return content;
        }
    }

    /** Reads one choice object (the parser is on its START_OBJECT) and returns its delta's content. */
    private static String firstChoiceContent(JsonParser p) throws IOException {
        String content = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("delta") && p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    if (key.equals("content") && p.currentToken() == JsonToken.VALUE_STRING) {
                        content = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return content;
    }

    private static void emit(StringBuilder pending, Consumer<String> onDelta) {
        if (pending.length() > 0) {
            onDelta.accept(pending.toString());
            pending.setLength(0);
        }
    }

    /** Sends the request and returns the connection once a 200 status has arrived. */
    private HttpURLConnection open(ModelEndpoint endpoint, byte[] payload) throws IOException, ModelError {
        HttpURLConnection conn = (HttpURLConnection) URI.create(trimSlash(endpoint.baseUrl()) + "/chat/completions").toURL().openConnection();
        conn.setRequestMethod("POST");
        conn.setConnectTimeout((int) timeout.toMillis());
        conn.setReadTimeout((int) timeout.toMillis());
        conn.setDoOutput(true);
        // No fixed-length streaming: HttpURLConnection then buffers the (small) body and sends it with
        // the headers in one write. Streamed, the body waits behind Nagle's algorithm for the ACK of
        // the headers, which the server delays by up to 40 ms: a 40 ms stall on every model call.
        conn.setRequestProperty("Content-Type", "application/json");
        conn.setRequestProperty("Accept", "text/event-stream");
        String key = endpoint.apiKey();
        if (key != null && !key.isBlank()) {
            conn.setRequestProperty("Authorization", "Bearer " + key);
        }
        try (OutputStream out = conn.getOutputStream()) {
            out.write(payload);
        }
        int status = conn.getResponseCode();
        if (status != 200) {
            drain(conn.getErrorStream());
            throw new ModelError("model " + endpoint.name() + " answered HTTP " + status, null);
        }
        return conn;
    }

    private static void drain(InputStream in) {
        if (in == null) {
            return;
        }
        try (in) {
            in.readAllBytes();
        } catch (IOException e) {
            // the error body is only drained for connection reuse
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
