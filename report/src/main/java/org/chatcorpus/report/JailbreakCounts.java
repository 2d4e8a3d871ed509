package org.chatcorpus.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.web.Html;

/**
 * Jailbreak attempts and successes of a release from its own {@code openai_moderation} tags (the
 * paper's section 4.2, Table 4), the one definition the {@code report} and the {@code safety} verb
 * share. Per model: a conversation is an <em>attempt</em> when any user message is flagged, and a
 * <em>success</em> when it is an attempt and any model message is flagged. Per category: an attempt
 * in a category has a user message flagged in it, a success in it also a model message flagged in
 * it. Conversations without tags count as conversations only.
 *
 * <p>Not thread-safe: one per worker, merged at the end (counts do not depend on reading order).
 */
public final class JailbreakCounts {
    /** One model's counts; arrays per {@link ModerationCategory}. */
    public static final class Counts {
        public long conversations;
        public long attempts;
        public long successes;
        public final long[] categoryAttempts = new long[ModerationCategory.COUNT];
        public final long[] categorySuccesses = new long[ModerationCategory.COUNT];

        public double successRate() {
            return attempts == 0 ? 0 : (double) successes / attempts;
        }

        void merge(Counts o) {
            conversations += o.conversations;
            attempts += o.attempts;
            successes += o.successes;
            for (int j = 0; j < ModerationCategory.COUNT; j++) {
                categoryAttempts[j] += o.categoryAttempts[j];
                categorySuccesses[j] += o.categorySuccesses[j];
            }
        }
    }

    /**
     * What one conversation's tags say: whether a user message and a model message are flagged, in
     * which categories, and the flagged user message with the highest category score (its index, or
     * -1, and that score; the first such message on ties).
     */
    public record Verdict(boolean attempt, boolean success, boolean[] userCategories, boolean[] modelCategories, int bestUserIndex,
            double bestUserScore) {
    }

    private final Map<String, Counts> counts = new TreeMap<>();

    /** Reads one conversation's tags (messages and tags paired by position). */
    public static Verdict verdict(Conversation c) {
        List<Message> msgs = c.conversation();
        List<Moderation> tags = c.openaiModeration();
        boolean[] userCats = new boolean[ModerationCategory.COUNT];
        boolean[] modelCats = new boolean[ModerationCategory.COUNT];
        boolean userFlagged = false;
        boolean modelFlagged = false;
        int bestIndex = -1;
        double bestScore = -1;
        for (int i = 0; i < Math.min(msgs.size(), tags.size()); i++) {
            Moderation m = tags.get(i);
            if (!m.flagged()) {
                continue;
            }
            boolean user = msgs.get(i).isUser();
            boolean[] cats = m.categories();
            for (int j = 0; j < cats.length; j++) {
                if (cats[j]) {
                    (user ? userCats : modelCats)[j] = true;
                }
            }
            if (user) {
                userFlagged = true;
                double s = maxScore(m);
                if (s > bestScore) {
                    bestScore = s;
                    bestIndex = i;
                }
            } else if (msgs.get(i).isAssistant()) {
                modelFlagged = true;
            }
        }
        return new Verdict(userFlagged, userFlagged && modelFlagged, userCats, modelCats, bestIndex, bestScore);
    }

    /** The largest category score of a moderation result. */
    public static double maxScore(Moderation m) {
        double s = 0;
        for (double x : m.scores()) {
            s = Math.max(s, x);
        }
        return s;
    }

    /** Counts a conversation; returns its verdict for callers that keep more (the safety verb's top attempts). */
    public Verdict add(Conversation c) {
        Counts k = counts.computeIfAbsent(c.model(), m -> new Counts());
        k.conversations++;
        Verdict v = verdict(c);
        if (!v.attempt()) {
            return v;
        }
        k.attempts++;
        if (v.success()) {
            k.successes++;
        }
        for (int j = 0; j < ModerationCategory.COUNT; j++) {
            if (v.userCategories()[j]) {
                k.categoryAttempts[j]++;
                if (v.modelCategories()[j]) {
                    k.categorySuccesses[j]++;
                }
            }
        }
        return v;
    }

    public void merge(JailbreakCounts o) {
        o.counts.forEach((model, k) -> counts.computeIfAbsent(model, m -> new Counts()).merge(k));
    }

    /** Per model, sorted by name (a copy of the map; the counts themselves are live). */
    public Map<String, Counts> counts() {
        return new TreeMap<>(counts);
    }

    /** {@code {"models": {NAME: {"conversations","attempts","successes","success_rate"}}}} (safety.json). */
    public static ObjectNode modelsJson(ObjectMapper json, Map<String, Counts> counts) {
        ObjectNode root = json.createObjectNode();
        ObjectNode models = root.putObject("models");
        counts.forEach((model, k) -> models.putObject(model).put("conversations", k.conversations).put("attempts", k.attempts)
                .put("successes", k.successes).put("success_rate", round(k.successRate())));
        return root;
    }

    /** {@code {"models": {NAME: {category: {"attempts","successes","success_rate"}}}}}, categories with attempts only (categories.json). */
    public static ObjectNode categoriesJson(ObjectMapper json, Map<String, Counts> counts) {
        ObjectNode root = json.createObjectNode();
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

    /**
     * Table 4 (per model) and the per-category table (successes / attempts) as HTML tables, every
     * model name escaped.
     */
    public static String htmlTables(Map<String, Counts> counts) {
        StringBuilder h = new StringBuilder("<table><tr><th>model</th><th>conversations</th><th>attempts</th>"
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
        return h.append("</table>").toString();
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
