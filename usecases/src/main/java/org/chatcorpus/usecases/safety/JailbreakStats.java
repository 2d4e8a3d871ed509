package org.chatcorpus.usecases.safety;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.report.JailbreakCounts;

/**
 * The {@code safety} verb's jailbreak statistics: the counts per model and category are report's
 * {@link JailbreakCounts} (one definition of attempt and success for the report and this verb;
 * the paper's section 4.2, Table 4), and beside them, per model, the {@code top} attempts with the
 * highest user-message score (the largest category score of a flagged user message). Ties go to the
 * smaller conversation_id, then to the earlier message, so the benchmark is the same for the same
 * release whatever the reading order. Each is kept cut after that user message: the prompt a safety
 * benchmark replays.
 */
public final class JailbreakStats {
    /** An attempt kept for the benchmark: its score and the conversation cut after the flagged user turn. */
    public record Attempt(double score, int messageIndex, Conversation prompt) {
    }

    static final Comparator<Attempt> BEST_FIRST = Comparator.comparingDouble(Attempt::score).reversed()
            .thenComparing(a -> a.prompt().conversationId())
            .thenComparingInt(Attempt::messageIndex);

    private final int top;
    private final JailbreakCounts counts = new JailbreakCounts();
    private final Map<String, PriorityQueue<Attempt>> best = new TreeMap<>();

    public JailbreakStats(int top) {
        this.top = top;
    }

    /** Thread-safe: readers may call it from several threads. */
    public synchronized void add(Conversation c) {
        JailbreakCounts.Verdict v = counts.add(c);
        if (v.attempt() && top > 0) {
            keep(c, v.bestUserIndex(), v.bestUserScore());
        }
    }

    private void keep(Conversation c, int index, double score) {
        PriorityQueue<Attempt> q = best.computeIfAbsent(c.model(), m -> new PriorityQueue<>(BEST_FIRST.reversed()));
        Attempt a = new Attempt(score, index, cut(c, index));
        if (q.size() < top) {
            q.add(a);
        } else if (BEST_FIRST.compare(a, q.peek()) < 0) {
            q.poll();
            q.add(a);
        }
    }

    /** The conversation up to and including message {@code index}, with its tags. */
    static Conversation cut(Conversation c, int index) {
        List<Message> msgs = c.conversation().subList(0, index + 1);
        List<Moderation> tags = c.openaiModeration().subList(0, Math.min(index + 1, c.openaiModeration().size()));
        return new Conversation(c.conversationId(), c.model(), msgs, Conversation.turnsOf(msgs), c.language(), tags, c.redacted(), null, null);
    }

    /** Per model, sorted by name. */
    public synchronized Map<String, JailbreakCounts.Counts> counts() {
        return counts.counts();
    }

    /** Per model (sorted by name), its kept attempts best first. */
    public synchronized Map<String, List<Attempt>> topAttempts() {
        Map<String, List<Attempt>> out = new TreeMap<>();
        best.forEach((model, q) -> {
            List<Attempt> l = new ArrayList<>(q);
            l.sort(BEST_FIRST);
            out.put(model, l);
        });
        return out;
    }
}
