package org.chatcorpus.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
 * {@link RetryPolicy}, waiting at least the server's Retry-After. Whatever the policy, a request
 * whose connection broke before any answer is sent once more at once: it is most often a kept-alive
 * connection the server closed as the request went out, which the JDK's client does not resend for
 * a POST.
 *
 * <p>A streamed body is pulled batch by batch from the JDK client ({@link SseBody}), cut into lines
 * as bytes ({@link SseLines}, at most {@link #MAX_LINE_BYTES} each) and each event read with
 * Jackson's streaming parser ({@link StreamChunk}).
 */
public final class ChatClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Error bodies are read this far for the message; a longer one is cut. */
    private static final int MAX_ERROR_BODY = 16 * 1024;
    /** No event line of a chat completion comes near this; an endpoint that never ends one is cut off. */
    static final int MAX_LINE_BYTES = 1 << 20;

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
        return postJson(endpoint, "/chat/completions", endpoint.apiKey(), requestBody(endpoint, request, false),
                body -> parseReply(endpoint, body));
    }

    /** Reads a 200 answer's body; a {@link ModelError} it throws is retried as any other failure. */
    @FunctionalInterface
    interface BodyParser<T> {
        T parse(byte[] body) throws ModelError;
    }

    /**
     * POSTs a JSON body to {@code base + path} with the client's retries and returns the parsed 200
     * answer. Shared by chat completions and {@link ModerationClient}.
     *
     * @param apiKey sent as a bearer token when not blank
     */
    <T> T postJson(ModelEndpoint endpoint, String path, String apiKey, byte[] body, BodyParser<T> parser) throws ModelError {
        return withRetries(endpoint, () -> {
            HttpResponse<byte[]> response = http.send(post(endpoint, path, apiKey, body, "application/json"),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw answered(endpoint, response.statusCode(), new String(response.body(), 0,
                        Math.min(response.body().length, MAX_ERROR_BODY), StandardCharsets.UTF_8), retryAfter(response));
            }
            return parser.parse(response.body());
        });
    }

    /** One try of a call: its result, or why it failed. */
    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws ModelError, IOException, InterruptedException;
    }

    /**
     * Runs {@code attempt} under the client's retry policy, the one loop every call shares. A
     * failure that looks like a pooled connection the server had already closed is resent once at
     * no cost to the attempt count; any other failure waits for the backoff (or the server's
     * Retry-After) and tries again while the policy allows and the error is retryable.
     */
    private <T> T withRetries(ModelEndpoint endpoint, Attempt<T> attempt) throws ModelError {
        boolean resent = false;
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (ModelError e) {
                waitOrThrow(e, n, e instanceof RetryAfter r ? r.millis : 0);
            } catch (IOException e) {
                if (!resent && mayBeStaleConnection(e)) {
                    resent = true;
                    n--;
                    continue;
                }
                waitOrThrow(transport(endpoint, e), n, 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelError("call to model " + endpoint.name() + " was interrupted", 0, false, e);
            }
        }
    }

    /**
     * Streams the answer ({@code stream: true}) to {@code onDelta}; returns the whole answer. Deltas
     * that arrived together are handed on together (one browser write per burst, not per token),
     * while a slow model's tokens go on one by one as they come. Only the opening of the stream is
     * retried: once text went to {@code onDelta}, a break is an error. The timeout bounds each wait
     * for the model (the head, then every next piece), not the whole answer.
     */
    public ChatReply stream(ModelEndpoint endpoint, ChatRequest request, Consumer<String> onDelta) throws ModelError {
        byte[] body = requestBody(endpoint, request, true);
        SseBody events = withRetries(endpoint, () -> {
            SseBody candidate = new SseBody();
            HttpResponse<Void> r = http.send(post(endpoint, "/chat/completions", endpoint.apiKey(), body, "text/event-stream"),
                    info -> candidate);
            if (r.statusCode() != 200) {
                throw answered(endpoint, r.statusCode(), errorBody(candidate), retryAfter(r));
            }
            return candidate;
        });
        return readStream(endpoint, events, onDelta);
    }

    /** Reads the event stream of a 200 answer, handing on deltas. */
    private ChatReply readStream(ModelEndpoint endpoint, SseBody events, Consumer<String> onDelta) throws ModelError {
        Answer answer = new Answer(endpoint.name());
        SseLines lines = new SseLines(MAX_LINE_BYTES);
        boolean ended = false;
        try {
            while (!answer.done) {
                List<ByteBuffer> batch = events.next(timeout.toNanos());
                if (batch == null) {
                    lines.finish(answer); // some servers end the stream without [DONE]
                    ended = true;
                    break;
                }
                for (int i = 0; i < batch.size() && lines.feed(batch.get(i), answer); i++) {
                    // each line went to the answer
                }
                if (!events.hasMore()) {
                    answer.forward(onDelta);
                }
            }
            answer.forward(onDelta);
            return new ChatReply(answer.text.toString(), Math.max(0, answer.promptTokens), Math.max(0, answer.completionTokens), false);
        } catch (SseLines.TooLong e) {
            throw new ModelError("model " + endpoint.name() + " sent a line longer than " + MAX_LINE_BYTES + " bytes", 0, false, null);
        } catch (SseBody.Stalled e) {
            throw new ModelError("model " + endpoint.name() + " timed out while answering", 0, true, null);
        } catch (IOException e) {
            throw new ModelError("model " + endpoint.name() + " stream broke: " + e.getClass().getSimpleName(), 0, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelError("call to model " + endpoint.name() + " was interrupted", 0, false, e);
        } finally {
            if (answer.done && !ended) {
                events.discardRest(timeout.toMillis()); // what follows [DONE] is read and dropped: the connection is reused
            } else if (!ended) {
                events.cancel();
            }
        }
    }

    /** The answer being streamed: every line of the body goes through {@link #line}. */
    private static final class Answer implements SseLines.Sink {
        private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

        final String model;
        final StringBuilder text = new StringBuilder();
        final StringBuilder pending = new StringBuilder();
        long promptTokens = -1;
        long completionTokens = -1;
        boolean done;

        Answer(String model) {
            this.model = model;
        }

        @Override
        public boolean line(byte[] b, int n) throws ModelError {
            if (n < DATA.length || !Arrays.equals(b, 0, DATA.length, DATA, 0, DATA.length)) {
                return true; // a blank line between events, a comment, an event: or id: field
            }
            int from = DATA.length;
            while (from < n && (b[from] == ' ' || b[from] == '\t')) {
                from++;
            }
            int to = n;
            while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
                to--;
            }
            if (Arrays.equals(b, from, to, DONE, 0, DONE.length)) {
                done = true;
                return false;
            }
            StreamChunk chunk = StreamChunk.parse(b, from, to - from, model);
            if (!chunk.content().isEmpty()) {
                text.append(chunk.content());
                pending.append(chunk.content());
            }
            promptTokens = chunk.promptTokens() >= 0 ? chunk.promptTokens() : promptTokens;
            completionTokens = chunk.completionTokens() >= 0 ? chunk.completionTokens() : completionTokens;
            return true;
        }

        void forward(Consumer<String> onDelta) {
            if (pending.length() > 0) {
                onDelta.accept(pending.toString());
                pending.setLength(0);
            }
        }
    }

    /** The start of an error answer's body, read within the timeout; the rest is dropped with the connection. */
    private String errorBody(SseBody body) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            List<ByteBuffer> batch;
            while (out.size() < MAX_ERROR_BODY && (batch = body.next(timeout.toNanos())) != null) {
                for (ByteBuffer b : batch) {
                    byte[] bytes = new byte[Math.min(b.remaining(), MAX_ERROR_BODY - out.size())];
                    b.get(bytes);
                    out.writeBytes(bytes);
                }
            }
        } catch (IOException | SseBody.Stalled e) {
            // what arrived is the message
        }
        body.discardRest(timeout.toMillis());
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Whether a failure before any answer may be a kept-alive connection the server closed while it
     * idled: the request then never reached the model and is sent once more. The JDK's client
     * resends only idempotent requests by itself, and a POST is not one. Timeouts and refused
     * connections are not this case.
     */
    private static boolean mayBeStaleConnection(IOException e) {
        return !(e instanceof HttpTimeoutException) && !(e instanceof ConnectException);
    }

    private HttpRequest post(ModelEndpoint endpoint, String path, String key, byte[] body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl(endpoint, path)))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                // h2c upgrade on plain http is refused or mishandled by many model servers; TLS negotiates h2 by ALPN.
                .version(endpoint.baseUrl().startsWith("https://") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null && !key.isBlank()) {
            b.header("Authorization", "Bearer " + key);
        }
        return b.build();
    }

    /** {@code base + path}, whether or not the configured base ends with a slash. */
    static String apiUrl(ModelEndpoint endpoint, String path) {
        String base = endpoint.baseUrl();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
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
