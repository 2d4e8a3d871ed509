package org.chatcorpus.server.arena;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.server.arena.http.Header;
import org.chatcorpus.server.arena.http.HttpTarget;
import org.chatcorpus.server.arena.http.LineReader;
import org.chatcorpus.server.arena.http.PlainHttpClient;

/**
 * Streams a chat completion from an OpenAI-compatible endpoint ({@code POST {base}/chat/completions}
 * with {@code stream: true}, server-sent events of {@code choices[0].delta.content}, ended by
 * {@code [DONE]}). Failures (HTTP errors, timeouts, broken streams) become a {@link ModelError}
 * so the Arena can show and log them as FastChat does.
 *
 * <p>Plain {@code http://} endpoints (loopback and in-cluster model servers, where the client's own
 * cost shows) go through {@link PlainHttpClient} and its connection pools; {@code https://} ones
 * (OpenAI and other remote APIs, where the network dominates) through HttpURLConnection. Both share
 * the request, the reading of the stream, the error texts and the retry rule.
 */
public final class ChatCompletionClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** No event line of a chat completion comes near this; an endpoint that never ends one is cut off. */
    static final int MAX_LINE_BYTES = 1 << 20;
    /** An error body is read this far for the connection's reuse; a longer one costs the connection. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Header CONTENT_TYPE = new Header("Content-Type", "application/json");
    private static final Header ACCEPT = new Header("Accept", "text/event-stream");

    private final Duration timeout;
    private final PlainHttpClient plainHttp;
    private final Map<String, HttpTarget> targets = new ConcurrentHashMap<>();

    /**
     * @param timeout for connecting and for each wait for the model (not for the whole answer, which
     *                may stream for longer)
     */
    public ChatCompletionClient(Duration timeout) {
        this.timeout = timeout;
        this.plainHttp = new PlainHttpClient(timeout);
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
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        List<Header> headers = headers(endpoint);
        boolean plain = isPlainHttp(endpoint.baseUrl());
        InputStream answer = null;
        for (int attempt = 1; answer == null; attempt++) {
            try {
                answer = plain ? openPlain(endpoint, headers, payload, attempt > 1) : openHttps(endpoint, headers, payload);
            } catch (SocketTimeoutException e) {
                throw new ModelError("model " + endpoint.name() + " timed out", e);
            } catch (ConnectException e) {
                throw unreachable(endpoint, e);
            } catch (IOException e) {
                // A pooled keep-alive connection the server has just closed fails before any answer byte:
                // that one failure is retried once on a fresh connection (nothing reached the model).
                // PlainHttpClient tells that case apart; HttpURLConnection cannot, so any of its failures is.
                boolean nothingReachedTheModel = !plain || e instanceof PlainHttpClient.StaleConnectionException;
                if (attempt >= 2 || !nothingReachedTheModel) {
                    throw unreachable(endpoint, e);
                }
            }
        }
        return read(endpoint, answer, onDelta);
    }

    /** Reads the event stream of a 200 answer, handing on deltas; closes it. */
    private static String read(ModelEndpoint endpoint, InputStream in, Consumer<String> onDelta) throws ModelError {
        StringBuilder answer = new StringBuilder();
        // Deltas that have already arrived together are handed on together: a model that streams
        // faster than we forward costs one write to the browser per burst, not one per token,
        // while a slow model's tokens still go out one by one as they come.
        StringBuilder pending = new StringBuilder();
        try (in) {
            LineReader reader = new LineReader(in, MAX_LINE_BYTES);
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
        } catch (LineReader.LineTooLongException e) {
            throw new ModelError("model " + endpoint.name() + " sent " + e.getMessage(), e);
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

    /** The request headers both transports send (the API key from the endpoint's environment variable). */
    private static List<Header> headers(ModelEndpoint endpoint) {
        String key = endpoint.apiKey();
        if (key != null && !key.isBlank()) {
            return List.of(CONTENT_TYPE, ACCEPT, new Header("Authorization", "Bearer " + key));
        }
        return List.of(CONTENT_TYPE, ACCEPT);
    }

    private static boolean isPlainHttp(String baseUrl) {
        return baseUrl.regionMatches(true, 0, "http://", 0, 7);
    }

    /** Sends the request over a pooled connection and returns the body once a 200 status has arrived. */
    private InputStream openPlain(ModelEndpoint endpoint, List<Header> headers, byte[] payload, boolean fresh)
            throws IOException, ModelError {
        HttpTarget target = targets.computeIfAbsent(endpoint.baseUrl(), base -> HttpTarget.of(trimSlash(base) + "/chat/completions"));
        PlainHttpClient.Response response = plainHttp.post(target, headers, payload, fresh);
        if (response.status() != 200) {
            drain(response.body());
            throw answeredHttp(endpoint, response.status());
        }
        return response.body();
    }

    /** Sends the request with HttpURLConnection and returns the body once a 200 status has arrived. */
    private InputStream openHttps(ModelEndpoint endpoint, List<Header> headers, byte[] payload) throws IOException, ModelError {
        HttpURLConnection conn = (HttpURLConnection) URI.create(trimSlash(endpoint.baseUrl()) + "/chat/completions").toURL().openConnection();
        conn.setRequestMethod("POST");
        conn.setConnectTimeout((int) timeout.toMillis());
        conn.setReadTimeout((int) timeout.toMillis());
        conn.setDoOutput(true);
        // No fixed-length streaming: HttpURLConnection then buffers the (small) body and sends it with
        // the headers in one write. Streamed, the body waits behind Nagle's algorithm for the ACK of
        // the headers, which the server delays by up to 40 ms: a 40 ms stall on every model call.
        for (Header h : headers) {
            conn.setRequestProperty(h.name(), h.value());
        }
        try (OutputStream out = conn.getOutputStream()) {
            out.write(payload);
        }
        int status = conn.getResponseCode();
        if (status != 200) {
            drain(conn.getErrorStream());
            throw answeredHttp(endpoint, status);
        }
        return conn.getInputStream();
    }

    private static ModelError answeredHttp(ModelEndpoint endpoint, int status) {
        return new ModelError("model " + endpoint.name() + " answered HTTP " + status, null);
    }

    private static ModelError unreachable(ModelEndpoint endpoint, IOException e) {
        return new ModelError("model " + endpoint.name() + " is unreachable: " + e.getClass().getSimpleName(), e);
    }

    /** Reads an error body (up to a bound) so its connection can be reused, and closes it. */
    private static void drain(InputStream in) {
        if (in == null) {
            return;
        }
        try (in) {
            byte[] skip = new byte[4096];
            long left = MAX_ERROR_BODY;
            int n;
            while (left > 0 && (n = in.read(skip, 0, (int) Math.min(skip.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the error body is only drained for connection reuse
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Closes the kept-alive connections to plain-HTTP endpoints. */
    @Override
    public void close() {
        plainHttp.close();
    }
}
