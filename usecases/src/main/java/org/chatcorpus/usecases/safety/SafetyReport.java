package org.chatcorpus.usecases.safety;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.report.JailbreakCounts;

/**
 * Writes what {@code safety} found: {@code safety.json} (per model conversations, attempts,
 * successes, success rate), {@code categories.json} (the same per category), {@code index.html}
 * (Table 4 and the per-category table) and {@code benchmark.jsonl} (the top attempts per model,
 * each cut after its flagged user turn, in the release's JSON-lines shape, models in name order,
 * best first).
 */
public final class SafetyReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetyReport() {
    }

    /** {@code {"models": {NAME: {"conversations","attempts","successes","success_rate"}}}}. */
    public static ObjectNode toJson(Map<String, JailbreakCounts.Counts> counts) {
        return JailbreakCounts.modelsJson(JSON, counts);
    }

    /** {@code {"models": {NAME: {category: {"attempts","successes","success_rate"}}}}}, categories with attempts only. */
    public static ObjectNode categoriesJson(Map<String, JailbreakCounts.Counts> counts) {
        return JailbreakCounts.categoriesJson(JSON, counts);
    }

    public static int write(JailbreakStats stats, Path out) throws IOException {
        Files.createDirectories(out);
        Map<String, JailbreakCounts.Counts> counts = stats.counts();
        Files.writeString(out.resolve("safety.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(counts)) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("categories.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(categoriesJson(counts)) + "\n", StandardCharsets.UTF_8);
        Files.writeString(out.resolve("index.html"), "<!doctype html><html><head><meta charset=\"utf-8\"><title>Jailbreak statistics</title>"
                + "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}</style>"
                + "</head><body>" + htmlSection(counts) + "</body></html>\n", StandardCharsets.UTF_8);
        int written = 0;
        try (JsonlConversationWriter w = JsonlConversationWriter.create(out.resolve("benchmark.jsonl"), false)) {
            for (List<JailbreakStats.Attempt> attempts : stats.topAttempts().values()) {
                for (JailbreakStats.Attempt a : attempts) {
                    w.write(a.prompt());
                    written++;
                }
            }
        }
        return written;
    }

    /** Table 4 and the per-category table as an HTML section. */
    public static String htmlSection(Map<String, JailbreakCounts.Counts> counts) {
        return "<section id=\"safety\"><h2>Jailbreak attempts and successes</h2>"
                + "<p>From the release's own moderation tags: an attempt is a conversation with a flagged user message, a success an "
                + "attempt with a flagged model message.</p>" + JailbreakCounts.htmlTables(counts) + "</section>";
    }

    /** Table 4 as text, for the terminal. */
    public static String table(Map<String, JailbreakCounts.Counts> counts) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %13s %10s %10s %8s%n", "model", "conversations", "attempts",
                "successes", "rate"));
        counts.forEach((model, k) -> sb.append(String.format(Locale.ROOT, "%-28s %,13d %,10d %,10d %7.1f%%%n", model, k.conversations,
                k.attempts, k.successes, 100 * k.successRate())));
        return sb.toString();
    }

}
