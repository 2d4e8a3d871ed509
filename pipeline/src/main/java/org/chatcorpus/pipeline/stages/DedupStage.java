package org.chatcorpus.pipeline.stages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.pipeline.DatasetStage;

/**
 * Deduplication in two passes, keeping only 64-bit hashes in memory:
 * <ol>
 *   <li>conversation_id: the last occurrence wins (FastChat's last-state-wins);</li>
 *   <li>the high-frequency prompt cap of FastChat's deduplication.py: the key is the user
 *       messages each followed by "\n", cut to 10,000 characters; the cutoff is the
 *       {@code percentile} quantile (linear interpolation, as pandas) of the per-key counts; keys
 *       more frequent than the cutoff keep a seeded random sample of int(cutoff) occurrences.</li>
 * </ol>
 * Drop reasons: duplicate_id, high_frequency_prompt.
 */
public record DedupStage(double percentile, long seed) implements DatasetStage {
    @Override
    public String name() {
        return "dedup";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("percentile", percentile);
        m.put("seed", seed);
        return m;
    }

    static String promptKey(Conversation c) {
        StringBuilder sb = new StringBuilder();
        for (Message m : c.conversation()) {
            if (m.isUser()) {
                sb.append(m.content()).append('\n');
                if (sb.length() >= 10_000) {
                    break;
                }
            }
        }
        return sb.length() > 10_000 ? sb.substring(0, 10_000) : sb.toString();
    }

    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    @Override
    public void run(Supplier<Pass> input, Outcomes outcomes) throws IOException {
        // Pass 1: last index of each id; occurrences (index list) of each prompt key among the kept ones.
        Map<Long, Long> lastIndexOfId = new HashMap<>();
        List<long[]> idAndPrompt = new ArrayList<>();
        try (Pass p = input.get()) {
            Conversation c;
            long i = 0;
            while ((c = p.next()) != null) {
                long idHash = hash(c.conversationId());
                lastIndexOfId.put(idHash, i);
                idAndPrompt.add(new long[] {idHash, hash(promptKey(c))});
                i++;
            }
        }
        Map<Long, List<Long>> occurrences = new HashMap<>();
        for (int i = 0; i < idAndPrompt.size(); i++) {
            long[] ip = idAndPrompt.get(i);
            if (lastIndexOfId.get(ip[0]) == i) {
                occurrences.computeIfAbsent(ip[1], k -> new ArrayList<>()).add((long) i);
            }
        }
        double cutoff = quantile(occurrences.values().stream().mapToDouble(List::size).sorted().toArray(), percentile);
        Set<Long> capped = new HashSet<>();
        Set<Long> sampled = new HashSet<>();
        // Deterministic: keys in order of their first occurrence, each with its own seeded sample.
        List<Map.Entry<Long, List<Long>>> frequent = occurrences.entrySet().stream().filter(e -> e.getValue().size() > cutoff)
                .sorted((a, b) -> Long.compare(a.getValue().get(0), b.getValue().get(0))).toList();
        for (Map.Entry<Long, List<Long>> e : frequent) {
            List<Long> idx = new ArrayList<>(e.getValue());
            capped.addAll(idx);
            java.util.Collections.shuffle(idx, new Random(seed ^ e.getKey()));
            sampled.addAll(idx.subList(0, (int) cutoff));
        }
        // Pass 2: write what is kept, in order.
        try (Pass p = input.get()) {
            Conversation c;
            long i = 0;
            while ((c = p.next()) != null) {
                if (lastIndexOfId.get(idAndPrompt.get((int) i)[0]) != i) {
                    outcomes.drop(c, "duplicate_id");
                } else if (capped.contains(i) && !sampled.contains(i)) {
                    outcomes.drop(c, "high_frequency_prompt");
                } else {
                    outcomes.keep(c);
                }
                i++;
            }
        }
    }

    /** pandas' Series.quantile: linear interpolation between the closest ranks. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    static double[] sortedCounts(Map<Long, Integer> counts) {
        double[] a = counts.values().stream().mapToDouble(Integer::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
