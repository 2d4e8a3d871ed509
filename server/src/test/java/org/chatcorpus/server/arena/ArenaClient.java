package org.chatcorpus.server.arena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** A test user of the Arena over real HTTP: keeps its session cookie like a browser. */
final class ArenaClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final String base;
    private final java.util.Map<String, String> headers;

    ArenaClient(int port) {
        this(port, java.util.Map.of());
    }

    /** A user whose every request carries these headers (e.g. X-Forwarded-For, as a proxy in front would add). */
    ArenaClient(int port, java.util.Map<String, String> headers) {
        this.base = "http://127.0.0.1:" + port;
        this.headers = headers;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        headers.forEach(b::header);
        return b;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> consent() throws IOException, InterruptedException {
        return http.send(request("/consent").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, JsonNode json) throws IOException, InterruptedException {
        return post(path, JSON.writeValueAsString(json));
    }

    /** The data objects of a server-sent-events answer. */
    static List<JsonNode> events(HttpResponse<String> r) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String chunk : r.body().split("\n\n")) {
            if (chunk.startsWith("data: ")) {
                out.add(JSON.readTree(chunk.substring(6)));
            }
        }
        return out;
    }

    static com.fasterxml.jackson.databind.node.ObjectNode obj() {
        return JSON.createObjectNode();
    }
}
