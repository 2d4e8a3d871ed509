package org.chatcorpus.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Asks an OpenAI-compatible server ({@code POST …/v1/chat/completions}, not streaming) for a
 * one-line summary of each topic from its keywords and example prompts. The base URL may be given
 * with or without {@code /v1} or the full path. A bearer key is sent when {@code OPENAI_API_KEY}
 * is set.
 */
public final class ClusterSummarizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ClusterSummarizer(String url, String model, String apiKey) {
        this.endpoint = URI.create(endpoint(url));
        this.model = model;
        this.apiKey = apiKey;
    }

    static String endpoint(String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (u.endsWith("/chat/completions")) {
            return u;
        }
        return u.endsWith("/v1") ? u + "/chat/completions" : u + "/v1/chat/completions";
    }

    /** The instruction sent for one topic. */
    static String instruction(TopicClustering.Topic t) {
        StringBuilder sb = new StringBuilder("Below are user prompts from one cluster of a chat dataset, with the cluster's keywords. ")
                .append("Reply with a single short line (at most 12 words) naming the cluster's common topic, nothing else.\n\n")
                .append("Keywords: ").append(String.join(", ", t.keywords())).append("\n\nPrompts:\n");
        int i = 1;
        for (TopicClustering.Example e : t.examples()) {
            String text = e.text().length() > 600 ? e.text().substring(0, 600) + "…" : e.text();
            sb.append(i++).append(". ").append(text.replace('\n', ' ')).append('\n');
        }
        return sb.toString();
    }

    public String summarize(TopicClustering.Topic t) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "user").put("content", instruction(t));
        body.put("temperature", 0);
        body.put("max_tokens", 48);
        body.put("stream", false);
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (apiKey != null && !apiKey.isBlank()) {
            req.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (resp.statusCode() / 100 != 2) {
            throw new IOException("summariser answered HTTP " + resp.statusCode() + " from " + endpoint);
        }
        JsonNode content = JSON.readTree(resp.body()).path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new IOException("summariser reply has no choices[0].message.content");
        }
        return oneLine(content.asText());
    }

    /** The first non-empty line, without surrounding quotes, at most 200 characters. */
    static String oneLine(String s) {
        for (String line : s.split("\\R")) {
            String t = line.strip();
            if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
                t = t.substring(1, t.length() - 1).strip();
            }
            if (!t.isEmpty()) {
                return t.length() > 200 ? t.substring(0, 199) + "…" : t;
            }
        }
        return "";
    }

    /** Every topic with its summary. */
    public List<TopicClustering.Topic> summarizeAll(List<TopicClustering.Topic> topics) throws IOException {
        List<TopicClustering.Topic> out = new java.util.ArrayList<>();
        for (TopicClustering.Topic t : topics) {
            out.add(t.withSummary(summarize(t)));
        }
        return out;
    }
}
