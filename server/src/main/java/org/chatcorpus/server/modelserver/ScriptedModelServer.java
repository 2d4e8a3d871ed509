package org.chatcorpus.server.modelserver;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A loopback "model" that speaks the OpenAI chat completions protocol (plain and streaming SSE)
 * with scripted, deterministic answers. It lets the Arena run and be tested with no real model:
 * the answer carries a per-model tag and echoes the start of the last user message, streamed word by word.
 *
 * <p>Models whose name starts with "broken" answer HTTP 500, and "slow" models wait
 * {@code slowMillis} per token, so error and timeout handling can be exercised on purpose.
 *
 * <p>Served by Javalin (Jetty) on 127.0.0.1, as the Arena is: one HTTP stack for both sides, and
 * the protocol's details (framing, keep-alive, malformed requests) are Jetty's job.
 */
public final class ScriptedModelServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    private static final byte[] MODELS = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);
    /** The end of a chunk after its delta's content value, and the end of its SSE event. */
    private static final byte[] EVENT_TAIL = "\"}}]}\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    /** Slow models hold a thread per stream: room for the Arena's 500-stream load test and more. */
    private static final int MAX_THREADS = 1_200;

    private final long slowMillis;
    private final Javalin http;

    private ScriptedModelServer(int port, long slowMillis) {
        this.slowMillis = slowMillis;
        this.http = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.disableCompression(); // events must leave as they are written
            cfg.jetty.threadPool = new QueuedThreadPool(MAX_THREADS, 8);
        });
        http.post("/v1/chat/completions", this::completions);
        http.get("/v1/models", ctx -> ctx.contentType(JSON_TYPE).result(MODELS));
        http.head("/v1/models", ctx -> ctx.contentType(JSON_TYPE).result(MODELS));
        http.get("/v1/chat/completions", ctx -> error(ctx, 405, "GET /v1/chat/completions is not supported; use POST").header("Allow", "POST"));
        http.post("/v1/models", ctx -> error(ctx, 405, "POST /v1/models is not supported; use GET").header("Allow", "GET, HEAD"));
        http.error(404, ctx -> error(ctx, 404, "no endpoint " + ctx.path()
                + "; this scripted model serves POST /v1/chat/completions and GET /v1/models"));
        http.exception(Exception.class, (e, ctx) -> error(ctx, 500, "the scripted model failed: " + e));
        http.start("127.0.0.1", port);
    }

    /** Starts on 127.0.0.1:{@code port} (0 picks a free port). */
    public static ScriptedModelServer start(int port) {
        return start(port, 2000);
    }

    public static ScriptedModelServer start(int port, long slowMillis) {
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

    private void completions(Context ctx) throws IOException {
        JsonNode req;
        try {
            req = JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            error(ctx, 400, "invalid JSON");
            return;
        }
        String model = req.path("model").asText("model");
        if (model.startsWith("broken")) {
            error(ctx, 500, "scripted failure");
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
            ctx.contentType(JSON_TYPE).result(JSON.writeValueAsBytes(resp));
            return;
        }
        ctx.contentType("text/event-stream").header("Cache-Control", "no-cache");
        boolean slow = model.startsWith("slow");
        // One SSE event per word either way. A fast model's events are all ready at once, so they go
        // out as one body in one write, as a real server's buffered output would send them; a slow
        // model's are sent one each as they are "generated". A client that goes away mid-stream
        // fails a write, and Jetty closes the connection.
        ByteArrayOutputStream events = new ByteArrayOutputStream(1024);
        // Every chunk is the same JSON but for the piece of text, so the model's part is encoded
        // once and only the piece is escaped per event.
        byte[] prefix = eventPrefix(model);
        OutputStream out = slow ? ctx.res().getOutputStream() : null; // the servlet stream: flush sends at once
        for (String piece : pieces(text)) {
            if (slow) {
                sleep(slowMillis);
            }
            events.writeBytes(prefix);
            events.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(piece));
            events.writeBytes(EVENT_TAIL);
            if (slow) {
                events.writeTo(out);
                out.flush();
                events.reset();
            }
        }
        events.writeBytes(DONE);
        if (slow) {
            events.writeTo(out);
        } else {
            ctx.result(events.toByteArray());
        }
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

    /** An OpenAI-style error: {"error":{"message":…}}. */
    private static Context error(Context ctx, int status, String message) {
        return ctx.status(status).contentType(JSON_TYPE).result("{\"error\":{\"message\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}}");
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
        http.stop();
    }
}
