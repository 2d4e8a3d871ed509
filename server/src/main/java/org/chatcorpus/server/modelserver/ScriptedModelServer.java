package org.chatcorpus.server.modelserver;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback "model" that speaks the OpenAI chat completions protocol (plain and streaming SSE)
 * with scripted, deterministic answers. It lets the Arena run and be tested with no real model:
 * the answer carries a per-model tag and echoes the start of the last user message, streamed word by word.
 *
 * <p>Models whose name starts with "broken" answer HTTP 500, and "slow" models wait
 * {@code slowMillis} per token, so error and timeout handling can be exercised on purpose.
 *
 * <p>It is served by {@link LoopbackHttpServer}, a blocking server of our own, not by Jetty as the
 * Arena is: in load tests this double shares the cores with the Arena it serves, and Jetty's
 * per-request machinery here took CPU the Arena needed (a real model runs elsewhere). The JDK's
 * built-in HTTP server, tried before Jetty, serialises every exchange's events on one lock.
 */
public final class ScriptedModelServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    private static final byte[] MODELS = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);
    /** The end of a chunk after its delta's content value, and the end of its SSE event. */
    private static final byte[] EVENT_TAIL = "\"}}]}\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private final long slowMillis;
    private final LoopbackHttpServer http;

    private ScriptedModelServer(int port, long slowMillis) throws IOException {
        this.slowMillis = slowMillis;
        this.http = LoopbackHttpServer.start(port, this::handle);
    }

    /** Starts on 127.0.0.1:{@code port} (0 picks a free port). */
    public static ScriptedModelServer start(int port) throws IOException {
        return start(port, 2000);
    }

    public static ScriptedModelServer start(int port, long slowMillis) throws IOException {
        return new ScriptedModelServer(port, slowMillis);
    }

    public int port() {
        return http.port();
    }

    /** The base URL clients configure, e.g. "http://127.0.0.1:8001/v1". */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /**
     * The scripted answer for a model and the conversation so far. It never names the model:
     * battles whose text leaks a model identity are dropped from the leaderboard (as FastChat
     * does), so the answer carries a neutral per-model tag instead.
     */
    public static String answer(String model, String lastUserMessage) {
        String gist = lastUserMessage.strip();
        if (gist.length() > 120) {
            gist = gist.substring(0, 120) + "…";
        }
        String tag = Integer.toHexString(model.hashCode() & 0xfffff);
        return "Scripted answer " + tag + ". You said: " + gist;
    }

    private void handle(HttpRequest request, ResponseWriter response) throws IOException {
        String path = request.path();
        if (path.length() > 1 && path.endsWith("/")) { // as Javalin, which served this before: "/v1/models/" too
            path = path.substring(0, path.length() - 1);
        }
        String method = request.method();
        switch (path) {
            case "/v1/chat/completions" -> {
                if (method.equals("POST")) {
                    completions(request, response);
                } else {
                    response.send(405, JSON_TYPE, LoopbackHttpServer.errorJson(method + " " + path + " is not supported; use POST"), "Allow: POST");
                }
            }
            case "/v1/models" -> {
                if (method.equals("GET") || method.equals("HEAD")) {
                    response.send(200, JSON_TYPE, MODELS);
                } else {
                    response.send(405, JSON_TYPE, LoopbackHttpServer.errorJson(method + " " + path + " is not supported; use GET"), "Allow: GET, HEAD");
                }
            }
            default -> response.send(404, JSON_TYPE, LoopbackHttpServer.errorJson("no endpoint " + path
                    + "; this scripted model serves POST /v1/chat/completions and GET /v1/models"));
        }
    }

    private void completions(HttpRequest request, ResponseWriter response) throws IOException {
        JsonNode req;
        try {
            req = JSON.readTree(request.body());
        } catch (IOException e) {
            send(response, 400, "{\"error\":{\"message\":\"invalid JSON\"}}");
            return;
        }
        String model = req.path("model").asText("model");
        if (model.startsWith("broken")) {
            send(response, 500, "{\"error\":{\"message\":\"scripted failure\"}}");
            return;
        }
        String last = "";
        for (JsonNode m : req.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                last = m.path("content").asText("");
            }
        }
        String text = answer(model, last);
        if (!req.path("stream").asBoolean(false)) {
            ObjectNode resp = JSON.createObjectNode();
            resp.put("id", "chatcmpl-scripted").put("object", "chat.completion").put("model", model);
            ObjectNode choice = resp.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", text);
            response.send(200, JSON_TYPE, JSON.writeValueAsBytes(resp));
            return;
        }
        response.startChunked(200, "text/event-stream", "Cache-Control: no-cache");
        boolean slow = model.startsWith("slow");
        // One SSE event per word either way. A fast model's events are all ready at once, so they go
        // out as one chunk in one write with the head and the end of the body, as a real server's
        // buffered output would send them; a slow model's are sent one chunk each as they are
        // "generated". A client that goes away mid-stream fails a write, and the connection closes.
        Events events = new Events();
        // Every chunk is the same JSON but for the piece of text, so the model's part is encoded
        // once and only the piece is escaped per event: the loopback model shares the machine
        // with the Arena it serves, and its cost shows in every load test.
        byte[] prefix = eventPrefix(model);
        for (String piece : pieces(text)) {
            if (slow) {
                sleep(slowMillis);
            }
            events.writeBytes(prefix);
            events.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(piece));
            events.writeBytes(EVENT_TAIL);
            if (slow) {
                events.sendAsChunk(response);
            }
        }
        events.writeBytes(DONE);
        events.sendAsLastChunk(response);
    }

    /** An SSE event up to its delta's content value, opening quote included: data: {"id":…,"delta":{"content":" */
    private static byte[] eventPrefix(String model) {
        byte[] head = chunkHead(model);
        byte[] prefix = new byte[DATA.length + head.length + 1];
        System.arraycopy(DATA, 0, prefix, 0, DATA.length);
        System.arraycopy(head, 0, prefix, DATA.length, head.length);
        prefix[prefix.length - 1] = '"';
        return prefix;
    }

    /** A streamed chunk up to its delta's content value: {"id":…,"model":"M","choices":[{"index":0,"delta":{"content": */
    static byte[] chunkHead(String model) {
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(model));
        return ("{\"id\":\"chatcmpl-scripted\",\"object\":\"chat.completion.chunk\",\"model\":\"" + quoted
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":").getBytes(StandardCharsets.UTF_8);
    }

    /** Splits an answer into word-sized streaming pieces that concatenate back to it. */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    private static void send(ResponseWriter response, int status, String body) throws IOException {
        response.send(status, JSON_TYPE, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Events collected for one chunk, handed to the response writer without a copy. */
    private static final class Events extends ByteArrayOutputStream {
        Events() {
            super(1024);
        }

        void sendAsChunk(ResponseWriter response) throws IOException {
            response.writeChunk(buf, 0, count);
            reset();
        }

        void sendAsLastChunk(ResponseWriter response) throws IOException {
            response.endChunked(buf, 0, count);
            reset();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
