package org.chatcorpus.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.text.Utf16;

/**
 * The one client for OpenAI-compatible chat completions ({@code POST {base}/chat/completions}),
 * built on the JDK's HttpClient: one path for http and https, HTTP/2 where a TLS server offers it,
 * pooled connections, timeouts. {@link #complete} returns a whole answer with its token usage;
 * {@link #stream} hands the answer on piece by piece as server-sent events arrive.
 *
 * <p>Failures become a {@link ModelError} whose message names the model and is safe to show. Calls
 * that can succeed later (429, 5xx, timeouts, refused connections) are retried by the client's
 * {@link RetryPolicy}, waiting at least the server's Retry-After.
 */
public final class ChatClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Error bodies are read this far for the message; a longer one is cut. */
    private static final int MAX_ERROR_BODY = 16 * 1024;

    private final HttpClient http;
    private final Duration timeout;
    private final RetryPolicy retry;

    /**
     * @param timeout for connecting and for the answer's first byte (a streamed answer may take longer as a whole)
     * @param retry   how failed calls are retried
     */
    public ChatClient(Duration timeout, RetryPolicy retry) {
        this.timeout = timeout;
        this.retry = retry;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A client for batch work (judges, benchmarks): 120 s timeouts and {@link RetryPolicy#DEFAULT}. */
    public static ChatClient forBatch() {
        return new ChatClient(Duration.ofSeconds(120), RetryPolicy.DEFAULT);
    }

    /** Asks for the whole answer at once ({@code stream: false}). */
    public ChatReply complete(ModelEndpoint endpoint, ChatRequest request) throws ModelError {
        byte[] body = requestBody(endpoint, request, false);
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<byte[]> response = http.send(post(endpoint, body, "application/json"), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw answered(endpoint, response.statusCode(), new String(response.body(), 0,
                            Math.min(response.body().length, MAX_ERROR_BODY), StandardCharsets.UTF_8), retryAfter(response));
                }
                return parseReply(endpoint, response.body());
            } catch (ModelError e) {
                waitOrThrow(e, attempt, e instanceof RetryAfter r ? r.millis : 0);
            } catch (IOException e) {
                waitOrThrow(transport(endpoint, e), attempt, 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelError("call to model " + endpoint.name() + " was interrupted", 0, false, e);
            }
        }
    }

    /**
     * Streams the answer ({@code stream: true}) to {@code onDelta}; returns the whole answer. Deltas
     * that arrived together are handed on together (one browser write per burst, not per token).
     * Only the opening of the stream is retried: once text went to {@code onDelta}, a break is an error.
     */
    public ChatReply stream(ModelEndpoint endpoint, ChatRequest request, Consumer<String> onDelta) throws ModelError {
        byte[] body = requestBody(endpoint, request, true);
        HttpResponse<InputStream> response = null;
        for (int attempt = 1; response == null; attempt++) {
            try {
                HttpResponse<InputStream> r = http.send(post(endpoint, body, "text/event-stream"), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    String text;
                    try (InputStream in = r.body()) {
                        text = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
                    }
                    throw answered(endpoint, r.statusCode(), text, retryAfter(r));
                }
                response = r;
            } catch (ModelError e) {
                waitOrThrow(e, attempt, e instanceof RetryAfter ra ? ra.millis : 0);
            } catch (IOException e) {
                waitOrThrow(transport(endpoint, e), attempt, 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelError("call to model " + endpoint.name() + " was interrupted", 0, false, e);
            }
        }
        return readStream(endpoint, response.body(), onDelta);
    }

    private ChatReply readStream(ModelEndpoint endpoint, InputStream in, Consumer<String> onDelta) throws ModelError {
        StringBuilder answer = new StringBuilder();
        StringBuilder pending = new StringBuilder();
        long promptTokens = 0;
        long completionTokens = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    String data = line.substring(5).trim();
                    if (data.equals("[DONE]")) {
                        break;
                    }
                    JsonNode chunk;
                    try {
                        chunk = JSON.readTree(data);
                    } catch (JsonProcessingException e) {
                        throw new ModelError("model " + endpoint.name() + " sent an event that is not JSON", 0, true, e);
                    }
                    if (chunk.has("error")) {
                        throw new ModelError("model " + endpoint.name() + " reported: "
                                + chunk.path("error").path("message").asText("error"), 0, false, null);
                    }
                    JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
                    if (content.isTextual() && !content.asText().isEmpty()) {
                        answer.append(content.asText());
                        pending.append(content.asText());
                    }
                    JsonNode usage = chunk.path("usage");
                    if (usage.isObject()) {
                        promptTokens = usage.path("prompt_tokens").asLong(promptTokens);
                        completionTokens = usage.path("completion_tokens").asLong(completionTokens);
                    }
                }
                if (!reader.ready() && pending.length() > 0) {
                    onDelta.accept(pending.toString());
                    pending.setLength(0);
                }
            }
            if (pending.length() > 0) {
                onDelta.accept(pending.toString());
            }
            return new ChatReply(answer.toString(), promptTokens, completionTokens, false);
        } catch (HttpTimeoutException e) {
            throw new ModelError("model " + endpoint.name() + " timed out while answering", 0, true, e);
        } catch (IOException e) {
            throw new ModelError("model " + endpoint.name() + " stream broke: " + e.getClass().getSimpleName(), 0, true, e);
        }
    }

    private HttpRequest post(ModelEndpoint endpoint, byte[] body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/chat/completions"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                // h2c upgrade on plain http is refused or mishandled by many model servers; TLS negotiates h2 by ALPN.
                .version(endpoint.baseUrl().startsWith("https://") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String key = endpoint.apiKey();
        if (key != null && !key.isBlank()) {
            b.header("Authorization", "Bearer " + key);
        }
        return b.build();
    }

    /** The request body; every text is scrubbed so an unpaired surrogate never fails the call. */
    static byte[] requestBody(ModelEndpoint endpoint, ChatRequest request, boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", endpoint.model());
        body.put("stream", stream);
        body.put("temperature", request.temperature());
        body.put("max_tokens", request.maxTokens());
        ArrayNode msgs = body.putArray("messages");
        for (Message m : request.messages()) {
            msgs.addObject().put("role", m.role()).put("content", Utf16.scrub(m.content()));
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static ChatReply parseReply(ModelEndpoint endpoint, byte[] body) throws ModelError {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new ModelError("model " + endpoint.name() + " answered with a body that is not JSON", 200, true, e);
        }
        JsonNode content = root.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new ModelError("model " + endpoint.name() + " answered without choices[0].message.content", 200, true, null);
        }
        JsonNode usage = root.path("usage");
        return new ChatReply(content.asText(), usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0), false);
    }

    private void waitOrThrow(ModelError e, int attempt, long retryAfterMillis) throws ModelError {
        if (!e.retryable() || attempt >= retry.maxAttempts()) {
            throw e instanceof RetryAfter r ? r.plain() : e;
        }
        try {
            Thread.sleep(retry.backoffMillis(attempt, retryAfterMillis));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private static ModelError answered(ModelEndpoint endpoint, int status, String body, long retryAfterMillis) {
        String detail = errorMessage(body);
        String message = "model " + endpoint.name() + " answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
        return new RetryAfter(message, status, ModelError.retryableStatus(status), retryAfterMillis);
    }

    /** The {@code error.message} of an OpenAI-style error body, else its first line, cut short. */
    private static String errorMessage(String body) {
        String text = body == null ? "" : body.strip();
        try {
            JsonNode n = JSON.readTree(text);
            if (n != null && n.path("error").path("message").isTextual()) {
                text = n.path("error").path("message").asText();
            }
        } catch (IOException e) {
            // not JSON: the text itself
        }
        int nl = text.indexOf('\n');
        text = nl >= 0 ? text.substring(0, nl) : text;
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static ModelError transport(ModelEndpoint endpoint, IOException e) {
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return new ModelError("model " + endpoint.name() + " is unreachable at " + endpoint.baseUrl(), 0, true, e);
        }
        if (e instanceof HttpTimeoutException) {
            return new ModelError("model " + endpoint.name() + " timed out", 0, true, e);
        }
        return new ModelError("model " + endpoint.name() + " is unreachable: " + e.getClass().getSimpleName(), 0, true, e);
    }

    private static long retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return (long) (Double.parseDouble(v.trim()) * 1000);
            } catch (NumberFormatException e) {
                return 0L; // an HTTP date: the backoff decides
            }
        }).orElse(0L);
    }

    /** An HTTP error that carries the server's Retry-After until the retry decision is made. */
    private static final class RetryAfter extends ModelError {
        final long millis;

        RetryAfter(String message, int status, boolean retryable, long millis) {
            super(message, status, retryable, null);
            this.millis = millis;
        }

        ModelError plain() {
            return new ModelError(getMessage(), status(), retryable(), null);
        }
    }

    @Override
    public void close() {
        // The JDK client's connections close when it is collected; Java 21 adds close(). Nothing to release on 17.
    }
}
