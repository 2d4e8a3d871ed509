package org.chatcorpus.server.modelserver;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
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
 */
public final class ScriptedModelServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHUNK_TAIL = "\"}}]}".getBytes(StandardCharsets.UTF_8);

    private final Javalin app;
    private final long slowMillis;

    private ScriptedModelServer(long slowMillis) {
        this.slowMillis = slowMillis;
        // Jetty (through Javalin, as the Arena itself): the JDK's built-in HTTP server serialises
        // every exchange's events on one lock and topped out near 1,400 answers/s here.
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.disableCompression(); // loopback only: nothing to save on the wire
        });
        app.post("/v1/chat/completions", this::completions);
        app.get("/v1/models", ctx -> ctx.contentType("application/json").result("{\"object\":\"list\",\"data\":[]}"));
    }

    /** Starts on 127.0.0.1:{@code port} (0 picks a free port). */
    public static ScriptedModelServer start(int port) throws IOException {
        return start(port, 2000);
    }

    public static ScriptedModelServer start(int port, long slowMillis) throws IOException {
        ScriptedModelServer s = new ScriptedModelServer(slowMillis);
        s.app.start("127.0.0.1", port);
        return s;
    }

    public int port() {
        return app.port();
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
            req = JSON.readTree(ctx.bodyInputStream());
        } catch (IOException e) {
            send(ctx, 400, "{\"error\":{\"message\":\"invalid JSON\"}}");
            return;
        }
        String model = req.path("model").asText("model");
        if (model.startsWith("broken")) {
            send(ctx, 500, "{\"error\":{\"message\":\"scripted failure\"}}");
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
            send(ctx, 200, JSON.writeValueAsString(resp));
            return;
        }
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        try {
            OutputStream out = ctx.res().getOutputStream();
            boolean slow = model.startsWith("slow");
            // One SSE event per word either way. A fast model's events are all ready at once, so they
            // go out in one write, as a real server's buffered output would send them; a slow
            // model's are flushed one by one as they are "generated".
            java.io.ByteArrayOutputStream events = new java.io.ByteArrayOutputStream(256);
            // Every chunk is the same JSON but for the piece of text, so the model's part is encoded
            // once and only the piece is escaped per event: the loopback model shares the machine
            // with the Arena it serves, and its cost shows in every load test.
            byte[] head = chunkHead(model);
            for (String piece : pieces(text)) {
                if (slow) {
                    sleep(slowMillis);
                }
                events.write(DATA);
                events.write(head);
                events.write('"');
                events.write(JsonStringEncoder.getInstance().quoteAsUTF8(piece));
                events.write(CHUNK_TAIL);
                events.write(EVENT_END);
                if (slow) {
                    events.writeTo(out);
                    out.flush();
                    events.reset();
                }
            }
            events.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            events.writeTo(out);
            out.flush();
        } catch (IOException e) {
            // The client went away mid-stream; nothing to clean up on our side.
        }
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

    private static void send(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
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
        app.stop();
    }
}
