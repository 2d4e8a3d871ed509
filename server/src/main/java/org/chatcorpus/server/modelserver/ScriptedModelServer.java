package org.chatcorpus.server.modelserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

    static {
        // Streaming writes many small chunks; without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK add ~40 ms to every answer. The JDK server reads this property
        // once, when its first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final long slowMillis;

    private ScriptedModelServer(HttpServer server, ExecutorService pool, long slowMillis) {
        this.server = server;
        this.pool = pool;
        this.slowMillis = slowMillis;
    }

    /** Starts on 127.0.0.1:{@code port} (0 picks a free port). */
    public static ScriptedModelServer start(int port) throws IOException {
        return start(port, 2000);
    }

    public static ScriptedModelServer start(int port, long slowMillis) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "model-server");
            t.setDaemon(true);
            return t;
        });
        ScriptedModelServer s = new ScriptedModelServer(http, pool, slowMillis);
        http.setExecutor(pool);
        http.createContext("/v1/chat/completions", s::completions);
        http.createContext("/v1/models", s::models);
        http.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
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

    private void models(HttpExchange ex) throws IOException {
        byte[] body = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void completions(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                send(ex, 405, "{\"error\":{\"message\":\"POST only\"}}");
                return;
            }
            JsonNode req;
            try {
                req = JSON.readTree(ex.getRequestBody());
            } catch (IOException e) {
                send(ex, 400, "{\"error\":{\"message\":\"invalid JSON\"}}");
                return;
            }
            String model = req.path("model").asText("model");
            if (model.startsWith("broken")) {
                send(ex, 500, "{\"error\":{\"message\":\"scripted failure\"}}");
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
                send(ex, 200, JSON.writeValueAsString(resp));
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (String piece : pieces(text)) {
                if (model.startsWith("slow")) {
                    sleep(slowMillis);
                }
                ObjectNode chunk = JSON.createObjectNode();
                chunk.put("id", "chatcmpl-scripted").put("object", "chat.completion.chunk").put("model", model);
                ArrayNode choices = chunk.putArray("choices");
                choices.addObject().put("index", 0).putObject("delta").put("content", piece);
                out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // The client went away mid-stream; nothing to clean up on our side.
        }
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

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
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
        server.stop(0);
        pool.shutdownNow();
    }
}
