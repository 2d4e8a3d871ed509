package org.chatcorpus.report;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.stats.ReleaseDigest;
import org.chatcorpus.core.stats.StatsAccumulator;
import org.chatcorpus.core.tokenize.TokenCounter;

/**
 * Everything the report counts over one slice of the data, in bounded memory: the Basic
 * Statistics sums (the very {@link StatsAccumulator} the stats command uses), turns and per-day
 * counts, token-length histograms, moderation counts per model and category, jailbreak attempts and
 * successes (Table 4), the release digest, and the topic sample.
 * Not thread-safe: each worker has its own, and they are merged.
 */
public final class ReportAccumulator {
    final StatsAccumulator stats = new StatsAccumulator();
    final LengthHistogram promptTokens = new LengthHistogram();
    final LengthHistogram responseTokens = new LengthHistogram();
    final TreeMap<Long, long[]> turns = new TreeMap<>();
    final TreeMap<Long, long[]> days = new TreeMap<>();
    final Map<String, Safety> perModel = new HashMap<>();
    final Safety total = new Safety();
    final long[] categoryMessages = new long[ModerationCategory.COUNT];
    final long[] categoryConversations = new long[ModerationCategory.COUNT];
    final PromptSampler sampler;
    /** Table 4: jailbreak attempts and successes per model and category. */
    final JailbreakCounts jailbreaks = new JailbreakCounts();
    /** What the conversation vectors are stamped with, so the explorer can refuse them beside another release. */
    final ReleaseDigest digest = new ReleaseDigest();

    /** Moderation and redaction counts of a group of conversations. */
    static final class Safety {
        long conversations;
        long moderatedConversations;
        long flaggedConversations;
        long messages;
        long moderatedMessages;
        long flaggedMessages;
        long redacted;

        void merge(Safety o) {
            conversations += o.conversations;
            moderatedConversations += o.moderatedConversations;
            flaggedConversations += o.flaggedConversations;
            messages += o.messages;
            moderatedMessages += o.moderatedMessages;
            flaggedMessages += o.flaggedMessages;
            redacted += o.redacted;
        }
    }

    public ReportAccumulator(int sampleSize, long seed) {
        this.sampler = new PromptSampler(sampleSize, seed);
    }

    public void add(Conversation c, TokenCounter tokens) {
        stats.add(c, tokens, tokens == null ? null : (i, prompt, n) -> (prompt ? promptTokens : responseTokens).add(n));
        turns.computeIfAbsent(c.turn(), k -> new long[1])[0]++;
        if (c.tstamp() != null && Double.isFinite(c.tstamp())) {
            days.computeIfAbsent(Math.floorDiv((long) Math.floor(c.tstamp()), 86_400L), k -> new long[1])[0]++;
        }
        Safety s = perModel.computeIfAbsent(c.model(), k -> new Safety());
        count(s, c);
        count(total, c);
        List<Moderation> mods = c.openaiModeration();
        boolean[] convCats = new boolean[ModerationCategory.COUNT];
        for (Moderation m : mods) {
            for (ModerationCategory cat : ModerationCategory.all()) {
                if (m.category(cat)) {
                    categoryMessages[cat.ordinal()]++;
                    convCats[cat.ordinal()] = true;
                }
            }
        }
        for (int i = 0; i < convCats.length; i++) {
            if (convCats[i]) {
                categoryConversations[i]++;
            }
        }
        sampler.add(c);
        jailbreaks.add(c);
        digest.add(c);
    }

    private static void count(Safety s, Conversation c) {
        s.conversations++;
        s.messages += c.conversation().size();
        if (!c.openaiModeration().isEmpty()) {
            s.moderatedConversations++;
            s.moderatedMessages += c.openaiModeration().size();
            for (Moderation m : c.openaiModeration()) {
                if (m.flagged()) {
                    s.flaggedMessages++;
                }
            }
            if (c.flagged()) {
                s.flaggedConversations++;
            }
        }
        if (c.redacted()) {
            s.redacted++;
        }
    }

    public void merge(ReportAccumulator o) {
        stats.merge(o.stats);
        promptTokens.merge(o.promptTokens);
        responseTokens.merge(o.responseTokens);
        o.turns.forEach((k, v) -> turns.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        o.days.forEach((k, v) -> days.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        o.perModel.forEach((k, v) -> perModel.computeIfAbsent(k, x -> new Safety()).merge(v));
        total.merge(o.total);
        for (int i = 0; i < categoryMessages.length; i++) {
            categoryMessages[i] += o.categoryMessages[i];
            categoryConversations[i] += o.categoryConversations[i];
        }
        sampler.merge(o.sampler);
        jailbreaks.merge(o.jailbreaks);
        digest.merge(o.digest);
    }

    static String day(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }
}
