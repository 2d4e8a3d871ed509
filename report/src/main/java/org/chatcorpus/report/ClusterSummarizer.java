package org.chatcorpus.report;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ChatRequest;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.llm.ModelError;
import org.chatcorpus.llm.RetryPolicy;

/**
 * Asks an OpenAI-compatible chat model (not streaming, through the llm module's client) for a
 * one-line summary of each topic from its keywords and example prompts. The base URL may be given
 * with or without {@code /v1} or the full path. A bearer key is sent when {@code OPENAI_API_KEY}
 * is set.
 */
public final class ClusterSummarizer {
    /** One retry, soon: a report waits for its summaries, and a summariser that is down only costs a warning. */
    private static final RetryPolicy RETRY = new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(5));
    private static final String PATH = "/chat/completions";

    private final ModelEndpoint endpoint;
    private final ChatClient client = new ChatClient(Duration.ofSeconds(120), RETRY);

    /**
     * @param apiKey the key to send, or null for none; the client reads it from {@code OPENAI_API_KEY},
     *               which is where the command line takes it from
     */
    public ClusterSummarizer(String url, String model, String apiKey) {
        String full = endpoint(url);
        this.endpoint = new ModelEndpoint(model, full.substring(0, full.length() - PATH.length()), model,
                apiKey == null ? null : ModelEndpoint.DEFAULT_KEY_ENV, 0.0, 48);
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
        try {
            return oneLine(client.complete(endpoint, ChatRequest.of(endpoint, List.of(Message.user(instruction(t))))).text());
        } catch (ModelError e) {
            throw new IOException(e.getMessage(), e);
        }
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
