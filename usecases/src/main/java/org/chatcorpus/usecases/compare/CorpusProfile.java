package org.chatcorpus.usecases.compare;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/**
 * What one corpus looks like, gathered in one streaming pass (thread-safe: parallel readers call
 * {@link #add}): conversations, models, languages, turns, the share with NAME_n redaction, and a
 * seeded sample of conversations whose token lengths are counted afterwards (tokenizing a million
 * conversations would cost minutes for a mean that a few thousand estimate to a fraction of a token).
 */
final class CorpusProfile {
    /** FastChat's redaction placeholder, NAME_1, NAME_2, …. */
    private static final Pattern NAME_N = Pattern.compile("\\bNAME_\\d+\\b");

    /** The texts of one sampled conversation. */
    record Texts(List<String> prompts, List<String> responses) {
    }

    private final String label;
    private final long seed;
    private long conversations;
    private long turns;
    private long redacted;
    private final Map<String, Long> models = new TreeMap<>();
    private final Map<String, Long> languages = new TreeMap<>();
    final BottomK<Texts> tokenSample;

    CorpusProfile(String label, int tokenSampleSize, long seed) {
        this.label = label;
        this.seed = seed;
        this.tokenSample = new BottomK<>(tokenSampleSize);
    }

    void add(Conversation c) {
        boolean isRedacted = c.redacted() || hasPlaceholder(c);
        synchronized (this) {
            conversations++;
            turns += c.turn();
            if (isRedacted) {
                redacted++;
            }
            models.merge(c.model(), 1L, Long::sum);
            languages.merge(c.language().isEmpty() ? "unknown" : c.language(), 1L, Long::sum);
        }
        tokenSample.offer(BottomK.hash(c.conversationId(), seed), c.conversationId(), new Texts(
                c.conversation().stream().filter(Message::isUser).map(Message::content).toList(),
                c.conversation().stream().filter(Message::isAssistant).map(Message::content).toList()));
    }

    private static boolean hasPlaceholder(Conversation c) {
        for (Message m : c.conversation()) {
            if (m.content().contains("NAME_") && NAME_N.matcher(m.content()).find()) {
                return true;
            }
        }
        return false;
    }

    String label() {
        return label;
    }

    synchronized long conversations() {
        return conversations;
    }

    synchronized double avgTurns() {
        return conversations == 0 ? 0 : turns / (double) conversations;
    }

    synchronized double redactedShare() {
        return conversations == 0 ? 0 : redacted / (double) conversations;
    }

    synchronized long redacted() {
        return redacted;
    }

    synchronized Map<String, Long> models() {
        return new TreeMap<>(models);
    }

    synchronized Map<String, Long> languages() {
        return new TreeMap<>(languages);
    }
}
