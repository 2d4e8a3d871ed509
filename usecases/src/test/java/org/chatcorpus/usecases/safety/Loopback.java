package org.chatcorpus.usecases.safety;

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
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * Loopback OpenAI-compatible endpoints for tests: a chat model whose answer a function of the last
 * user message scripts, and a moderation endpoint that flags texts by a rule.
 */
final class Loopback implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final AtomicInteger calls = new AtomicInteger();
    private final HttpServer server;

    private Loopback(HttpServer server) {
        this.server = server;
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    /** A chat model answering {@code answer.apply(last user message)}. */
    static Loopback chat(Function<String, String> answer) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Loopback l = new Loopback(s);
        s.createContext("/v1/chat/completions", ex -> {
            l.calls.incrementAndGet();
            JsonNode req = JSON.readTree(ex.getRequestBody());
            JsonNode msgs = req.get("messages");
            String last = "";
            for (JsonNode m : msgs) {
                if (m.path("role").asText().equals("user")) {
                    last = m.path("content").asText();
                }
            }
            ObjectNode resp = JSON.createObjectNode();
            resp.put("id", "x");
            ObjectNode choice = resp.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", answer.apply(last));
            resp.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5);
            send(ex, 200, resp.toString());
        });
        return l;
    }

    /** A moderation endpoint flagging, as violence, every text for which {@code violent} is true. */
    static Loopback moderation(Function<String, Boolean> violent) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Loopback l = new Loopback(s);
        s.createContext("/v1/moderations", ex -> {
            l.calls.incrementAndGet();
            JsonNode req = JSON.readTree(ex.getRequestBody());
            ObjectNode resp = JSON.createObjectNode();
            ArrayNode results = resp.putArray("results");
            for (JsonNode t : req.get("input")) {
                boolean v = violent.apply(t.asText());
                ObjectNode r = results.addObject();
                r.put("flagged", v);
                ObjectNode cats = r.putObject("categories");
                ObjectNode scores = r.putObject("category_scores");
                for (ModerationCategory c : ModerationCategory.all()) {
                    boolean on = v && c == ModerationCategory.VIOLENCE;
                    cats.put(c.label(), on);
                    scores.put(c.label(), on ? 0.9 : 0.01);
                }
            }
            send(ex, 200, resp.toString());
        });
        return l;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
