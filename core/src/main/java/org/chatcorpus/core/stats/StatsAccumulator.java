package org.chatcorpus.core.stats;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.tokenize.TokenCounter;

/**
 * Sums for the Basic Statistics of one slice of the data; slices are merged. Not thread-safe:
 * each worker has its own. Token counts follow compute_stats.py: a prompt is a "user" message,
 * every other message is a response; an empty response counts 0 tokens (a prompt is always
 * tokenized, so an empty one counts its BOS).
 */
public final class StatsAccumulator implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    long conversations;
    long turnSum;
    // long[1] cells instead of Long values: no boxing per row on the hot path.
    final Map<String, long[]> models = new HashMap<>();
    final Map<String, long[]> languages = new HashMap<>();
    final Set<String> users = new HashSet<>();
    boolean anyUser;
    long prompts;
    long promptTokens;
    long responses;
    long responseTokens;

    /** Sees every message's token count as it is counted (the report's length distributions). */
    @FunctionalInterface
    public interface TokenListener {
        void message(int messageIndex, boolean prompt, int tokens);
    }

    public void add(Conversation c, TokenCounter tokens) {
        add(c, tokens, null);
    }

    /** As {@link #add(Conversation, TokenCounter)}, telling {@code listener} each counted message. */
    public void add(Conversation c, TokenCounter tokens, TokenListener listener) {
        conversations++;
        turnSum += c.turn();
        models.computeIfAbsent(c.model(), k -> new long[1])[0]++;
        if (!c.language().isEmpty()) {
            languages.computeIfAbsent(c.language(), k -> new long[1])[0]++;
        }
        if (c.userId() != null) {
            anyUser = true;
            users.add(c.userId());
        }
        if (tokens != null) {
            List<Message> messages = c.conversation();
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                int n;
                if (m.isUser()) {
                    prompts++;
                    promptTokens += n = tokens.count(m.content());
                } else {
                    responses++;
                    responseTokens += n = m.content().isEmpty() ? 0 : tokens.count(m.content());
                }
                if (listener != null) {
                    listener.message(i, m.isUser(), n);
                }
            }
        }
    }

    /** Adds the column-level counts of one Parquet row group (the fast path without tokens). */
    public void add(org.chatcorpus.core.io.parquet.ParquetColumnCounts c) {
        conversations += c.rows;
        turnSum += c.turnSum;
        c.models.forEach((k, v) -> models.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        c.languages.forEach((k, v) -> languages.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        if (!c.users.isEmpty()) {
            anyUser = true;
            users.addAll(c.users);
        }
    }

    public void merge(StatsAccumulator o) {
        conversations += o.conversations;
        turnSum += o.turnSum;
        o.models.forEach((k, v) -> models.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        o.languages.forEach((k, v) -> languages.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        users.addAll(o.users);
        anyUser |= o.anyUser;
        prompts += o.prompts;
        promptTokens += o.promptTokens;
        responses += o.responses;
        responseTokens += o.responseTokens;
    }
}
