package org.chatcorpus.usecases.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback OpenAI-compatible endpoint whose replies a test scripts: models under test and judges
 * alike. The script sees the request (model, messages) and the 1-based call number and answers a
 * text, or an HTTP error with {@link #fail}. Every request body is kept.
 */
public final class LoopbackModel implements AutoCloseable {
    /** Answers one request. */
    public interface Script {
        Object reply(Request request, int call) throws Exception;
    }

    /** What a request asked: the model id, the system prompt ("" when none) and the last user message. */
    public record Request(String model, String system, String user, JsonNode body) {
    }

    /** An HTTP error answer. */
    public record Failure(int status, String message) {
    }

    public static Failure fail(int status, String message) {
        return new Failure(status, message);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    public LoopbackModel(Script script) throws IOException {
        // Without it the JDK server's separate header and body writes wait out delayed ACKs (~40 ms a reply).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/v1/chat/completions", ex -> {
            try (ex) {
                JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
                requests.add(body);
                String system = "";
                String user = "";
                for (JsonNode m : body.path("messages")) {
                    if (m.path("role").asText().equals("system")) {
                        system = m.path("content").asText();
                    } else if (m.path("role").asText().equals("user")) {
                        user = m.path("content").asText();
                    }
                }
                Object out;
                try {
                    out = script.reply(new Request(body.path("model").asText(), system, user, body), calls.incrementAndGet());
                } catch (Exception e) {
                    out = fail(500, String.valueOf(e));
                }
                if (out instanceof Failure f) {
                    ObjectNode err = JSON.createObjectNode();
                    err.putObject("error").put("message", f.message());
                    send(ex, f.status(), JSON.writeValueAsBytes(err));
                } else {
                    ObjectNode r = JSON.createObjectNode();
                    r.put("id", "x");
                    r.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                            .putObject("message").put("role", "assistant").put("content", String.valueOf(out));
                    r.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 3);
                    send(ex, 200, JSON.writeValueAsBytes(r));
                }
            }
        });
        server.start();
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The API base, e.g. http://127.0.0.1:PORT/v1. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public int calls() {
        return calls.get();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
