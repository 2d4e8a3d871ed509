package org.chatcorpus.core.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The dataset card's "Basic Statistics" of LMSYS-Chat-1M, with model and language counts
 * (descending). {@code users} is null when the input has no user ids (a release drops them);
 * token averages are null when no tokenizer was used.
 */
public record BasicStatistics(
        long conversations,
        long models,
        Long users,
        long languages,
        double avgTurns,
        Double avgPromptTokens,
        Double avgResponseTokens,
        String tokenizer,
        Map<String, Long> modelCounts,
        Map<String, Long> languageCounts,
        long quarantined) {

    public static BasicStatistics of(StatsAccumulator a, String tokenizer, long quarantined) {
        return new BasicStatistics(a.conversations, a.models.size(), a.anyUser ? (long) a.users.size() : null,
                a.languages.size(), a.conversations == 0 ? 0 : (double) a.turnSum / a.conversations,
                tokenizer == null ? null : a.prompts == 0 ? 0.0 : (double) a.promptTokens / a.prompts,
                tokenizer == null ? null : a.responses == 0 ? 0.0 : (double) a.responseTokens / a.responses,
                tokenizer, sorted(a.models), sorted(a.languages), quarantined);
    }

    static Map<String, Long> sorted(Map<String, long[]> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, long[]> e) -> -e.getValue()[0]).thenComparing(Map.Entry::getKey))
                .forEach(e -> out.put(e.getKey(), e.getValue()[0]));
        return out;
    }

    /** The {@code stats --json} document, with exactly the documented keys. */
    public ObjectNode toJson(ObjectMapper m) {
        ObjectNode n = m.createObjectNode();
        n.put("conversations", conversations);
        n.put("models", models);
        if (users == null) {
            n.putNull("users");
        } else {
            n.put("users", users);
        }
        n.put("languages", languages);
        n.put("avg_turns", avgTurns);
        putNullable(n, "avg_prompt_tokens", avgPromptTokens);
        putNullable(n, "avg_response_tokens", avgResponseTokens);
        if (tokenizer == null) {
            n.putNull("tokenizer");
        } else {
            n.put("tokenizer", tokenizer);
        }
        ObjectNode mc = n.putObject("model_counts");
        modelCounts.forEach(mc::put);
        ObjectNode lc = n.putObject("language_counts");
        languageCounts.forEach(lc::put);
        n.put("quarantined", quarantined);
        return n;
    }

    private static void putNullable(ObjectNode n, String k, Double v) {
        if (v == null) {
            n.putNull(k);
        } else {
            n.put(k, v);
        }
    }

    /** The table as the dataset card shows it (Markdown). */
    public String markdownTable(String datasetName) {
        return "| Dataset | # Convs | # Models | # Users | # Langs | Avg. # Turns per Sample | Avg. # Tokens per Prompt | Avg. # Tokens per Response |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
                + String.format(Locale.ROOT, "| %s | %,d | %d | %s | %d | %.1f | %s | %s |%n", datasetName, conversations, models,
                users == null ? "n/a" : String.format(Locale.ROOT, "%,d", users), languages, avgTurns,
                avgPromptTokens == null ? "n/a" : String.format(Locale.ROOT, "%.1f", avgPromptTokens),
                avgResponseTokens == null ? "n/a" : String.format(Locale.ROOT, "%.1f", avgResponseTokens))
                + (tokenizer == null ? "" : "\nTokens counted with " + tokenizer + ".\n");
    }

    /** The plain-text report the stats command prints. */
    public String render(int topCounts) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-30s %,15d%n", "# Conversations", conversations));
        sb.append(String.format(Locale.ROOT, "%-30s %,15d%n", "# Models", models));
        sb.append(String.format(Locale.ROOT, "%-30s %15s%n", "# Users", users == null ? "n/a" : String.format(Locale.ROOT, "%,d", users)));
        sb.append(String.format(Locale.ROOT, "%-30s %,15d%n", "# Languages", languages));
        sb.append(String.format(Locale.ROOT, "%-30s %15.2f%n", "Avg. # Turns per Sample", avgTurns));
        sb.append(String.format(Locale.ROOT, "%-30s %15s%n", "Avg. # Tokens per Prompt",
                avgPromptTokens == null ? "n/a" : String.format(Locale.ROOT, "%.2f", avgPromptTokens)));
        sb.append(String.format(Locale.ROOT, "%-30s %15s%n", "Avg. # Tokens per Response",
                avgResponseTokens == null ? "n/a" : String.format(Locale.ROOT, "%.2f", avgResponseTokens)));
        sb.append("Tokenizer: ").append(tokenizer == null ? "none (token averages not computed)" : tokenizer).append('\n');
        if (quarantined > 0) {
            sb.append(String.format(Locale.ROOT, "Quarantined records: %,d%n", quarantined));
        }
        sb.append("\nConversations per model:\n");
        counts(sb, modelCounts, topCounts);
        sb.append("\nConversations per language:\n");
        counts(sb, languageCounts, topCounts);
        return sb.toString();
    }

    private void counts(StringBuilder sb, Map<String, Long> m, int top) {
        int i = 0;
        for (Map.Entry<String, Long> e : m.entrySet()) {
            if (i++ == top) {
                sb.append(String.format(Locale.ROOT, "  … and %d more%n", m.size() - top));
                break;
            }
            sb.append(String.format(Locale.ROOT, "  %-34s %,12d  %5.1f%%%n", e.getKey(), e.getValue(),
                    conversations == 0 ? 0 : 100.0 * e.getValue() / conversations));
        }
    }
}
