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
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.web.Html;

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
    public static ObjectNode toJson(Map<String, JailbreakStats.Counts> counts) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode models = root.putObject("models");
        counts.forEach((model, k) -> models.putObject(model).put("conversations", k.conversations).put("attempts", k.attempts)
                .put("successes", k.successes).put("success_rate", round(k.successRate())));
        return root;
    }

    /** {@code {"models": {NAME: {category: {"attempts","successes","success_rate"}}}}}, categories with attempts only. */
    public static ObjectNode categoriesJson(Map<String, JailbreakStats.Counts> counts) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode models = root.putObject("models");
        counts.forEach((model, k) -> {
            ObjectNode m = models.putObject(model);
            for (ModerationCategory c : ModerationCategory.all()) {
                long a = k.categoryAttempts[c.ordinal()];
                if (a > 0) {
                    long s = k.categorySuccesses[c.ordinal()];
                    m.putObject(c.label()).put("attempts", a).put("successes", s).put("success_rate", round((double) s / a));
                }
            }
        });
        return root;
    }

    public static int write(JailbreakStats stats, Path out) throws IOException {
        Files.createDirectories(out);
        Map<String, JailbreakStats.Counts> counts = stats.counts();
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

    /** Table 4 and the per-category table as an HTML fragment (also used by {@code report}). */
    public static String htmlSection(Map<String, JailbreakStats.Counts> counts) {
        StringBuilder h = new StringBuilder("<section id=\"safety\"><h2>Jailbreak attempts and successes</h2>"
                + "<p>From the release's own moderation tags: an attempt is a conversation with a flagged user message, a success an "
                + "attempt with a flagged model message.</p><table><tr><th>model</th><th>conversations</th><th>attempts</th>"
                + "<th>successes</th><th>success rate</th></tr>");
        counts.forEach((model, k) -> h.append("<tr><td>").append(Html.escape(model)).append("</td><td>").append(k.conversations)
                .append("</td><td>").append(k.attempts).append("</td><td>").append(k.successes).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.1f%%", 100 * k.successRate())).append("</td></tr>"));
        h.append("</table><h3>Per category (successes / attempts)</h3><table><tr><th>model</th>");
        for (ModerationCategory c : ModerationCategory.all()) {
            h.append("<th>").append(Html.escape(c.label())).append("</th>");
        }
        h.append("</tr>");
        counts.forEach((model, k) -> {
            h.append("<tr><td>").append(Html.escape(model)).append("</td>");
            for (ModerationCategory c : ModerationCategory.all()) {
                long a = k.categoryAttempts[c.ordinal()];
                h.append("<td>").append(a == 0 ? "–" : k.categorySuccesses[c.ordinal()] + " / " + a).append("</td>");
            }
            h.append("</tr>");
        });
        return h.append("</table></section>").toString();
    }

    /** Table 4 as text, for the terminal. */
    public static String table(Map<String, JailbreakStats.Counts> counts) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %13s %10s %10s %8s%n", "model", "conversations", "attempts",
                "successes", "rate"));
        counts.forEach((model, k) -> sb.append(String.format(Locale.ROOT, "%-28s %,13d %,10d %,10d %7.1f%%%n", model, k.conversations,
                k.attempts, k.successes, 100 * k.successRate())));
        return sb.toString();
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
