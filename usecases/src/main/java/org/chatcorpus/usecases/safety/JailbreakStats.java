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
import org.chatcorpus.core.model.ModerationCategory;

/**
 * Jailbreak statistics of a release from its own {@code openai_moderation} tags (the paper's
 * section 4.2, Table 4). Per model: a conversation is an <em>attempt</em> when any user message is
 * flagged, and a <em>success</em> when it is an attempt and any model message is flagged. Per
 * category: an attempt in a category has a user message flagged in it, a success in it also a model
 * message flagged in it. Conversations without tags count as conversations only.
 *
 * <p>It also keeps, per model, the {@code top} attempts with the highest user-message score (the
 * largest category score of a flagged user message). Ties go to the smaller conversation_id, then
 * to the earlier message, so the benchmark is the same for the same release whatever the reading
 * order. Each is kept cut after that user message: the prompt a safety benchmark replays.
 */
public final class JailbreakStats {
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
    }

    /** An attempt kept for the benchmark: its score and the conversation cut after the flagged user turn. */
    public record Attempt(double score, int messageIndex, Conversation prompt) {
    }

    static final Comparator<Attempt> BEST_FIRST = Comparator.comparingDouble(Attempt::score).reversed()
            .thenComparing(a -> a.prompt().conversationId())
            .thenComparingInt(Attempt::messageIndex);

    private final int top;
    private final Map<String, Counts> counts = new TreeMap<>();
    private final Map<String, PriorityQueue<Attempt>> best = new TreeMap<>();

    public JailbreakStats(int top) {
        this.top = top;
    }

    /** Thread-safe: readers may call it from several threads. */
    public synchronized void add(Conversation c) {
        Counts k = counts.computeIfAbsent(c.model(), m -> new Counts());
        k.conversations++;
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
        if (!userFlagged) {
            return;
        }
        k.attempts++;
        if (modelFlagged) {
            k.successes++;
        }
        for (int j = 0; j < ModerationCategory.COUNT; j++) {
            if (userCats[j]) {
                k.categoryAttempts[j]++;
                if (modelCats[j]) {
                    k.categorySuccesses[j]++;
                }
            }
        }
        if (top > 0) {
            keep(c, bestIndex, bestScore);
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

    static double maxScore(Moderation m) {
        double s = 0;
        for (double x : m.scores()) {
            s = Math.max(s, x);
        }
        return s;
    }

    /** Per model, sorted by name. */
    public synchronized Map<String, Counts> counts() {
        return new TreeMap<>(counts);
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
