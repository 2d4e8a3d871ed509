package org.chatcorpus.pipeline.stages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.random.NumpyLegacyRandom;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.pipeline.DatasetStage;

/**
 * Deduplication in two passes, keeping only 64-bit hashes in memory:
 * <ol>
 *   <li>conversation_id: the last occurrence wins, as clean_chat_data.py (release commit 24acac17)
 *       keeps the last state of each conv_id. Always on.</li>
 *   <li>Only with {@code highFrequency} tag or drop (default off: the 2023 lmsys_chat_1m scripts
 *       have no such step): the high-frequency prompt cap of FastChat's 2024 deduplication.py. The
 *       key is the user messages each followed by "\n", cut to 10,000 code points (a Python slice);
 *       the cutoff is the {@code percentile} quantile (linear interpolation, as pandas) of the
 *       per-key counts; for a key counted more often than the cutoff, its occurrences in input
 *       order are sampled as pandas' {@code sample(n=int(cutoff), random_state=seed)} does
 *       ({@code RandomState(seed).permutation(len)[:n]}). {@code tag} keeps everything and writes
 *       each high-frequency conversation's {@code dedup_tag} ({@code high_freq}, {@code sampled})
 *       to the tag file; {@code drop} drops the unsampled ones.</li>
 * </ol>
 * Drop reasons: duplicate_id, high_frequency_prompt.
 */
public record DedupStage(String highFrequency, double percentile, long seed, String tagFile) implements DatasetStage {
    public static final String OFF = "off";

    public DedupStage {
        if (!List.of(OFF, "tag", "drop").contains(highFrequency)) {
            throw new IllegalArgumentException("dedup highFrequency must be off, tag or drop, not '" + highFrequency + "'");
        }
    }

    /** The conversation_id dedup only (the 2023 release). */
    public static DedupStage idOnly(long seed) {
        return new DedupStage(OFF, 0.9999, seed, null);
    }

    @Override
    public String name() {
        return "dedup";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("highFrequency", highFrequency);
        if (!highFrequency.equals(OFF)) {
            m.put("percentile", percentile);
            m.put("seed", seed);
        }
        return m;
    }

    /** deduplication.py's post_process_conv: every user message plus "\n", sliced to 10,000 code points. */
    public static String promptKey(Conversation c) {
        StringBuilder sb = new StringBuilder();
        for (Message m : c.conversation()) {
            if (m.isUser()) {
                sb.append(m.content()).append('\n');
                if (sb.length() >= 20_000) {
                    break; // 20,000 UTF-16 units hold at least 10,000 code points
                }
            }
        }
        String s = sb.toString();
        return s.codePointCount(0, s.length()) > 10_000 ? s.substring(0, s.offsetByCodePoints(0, 10_000)) : s;
    }

    /** FNV-1a over UTF-16 units: the 64-bit key both passes (and every engine) compare. */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    @Override
    public void run(Supplier<Pass> input, Outcomes outcomes) throws IOException {
        boolean cap = !highFrequency.equals(OFF);
        // Pass 1: last index of each id; occurrences (index list) of each prompt key among the kept ones.
        Map<Long, Long> lastIndexOfId = new HashMap<>();
        List<long[]> idAndPrompt = new ArrayList<>();
        try (Pass p = input.get()) {
            Conversation c;
            long i = 0;
            while ((c = p.next()) != null) {
                long idHash = hash(c.conversationId());
                lastIndexOfId.put(idHash, i);
                idAndPrompt.add(new long[] {idHash, cap ? hash(promptKey(c)) : 0});
                i++;
            }
        }
        Set<Long> frequent = new HashSet<>();
        Set<Long> sampled = new HashSet<>();
        if (cap) {
            Map<Long, List<Long>> occurrences = new HashMap<>();
            for (int i = 0; i < idAndPrompt.size(); i++) {
                long[] ip = idAndPrompt.get(i);
                if (lastIndexOfId.get(ip[0]) == i) {
                    occurrences.computeIfAbsent(ip[1], k -> new ArrayList<>()).add((long) i);
                }
            }
            double[] sizes = occurrences.values().stream().mapToDouble(List::size).toArray();
            Arrays.sort(sizes);
            double cutoff = quantile(sizes, percentile);
            for (List<Long> idx : occurrences.values()) {
                if (idx.size() > cutoff) {
                    frequent.addAll(idx);
                    int[] perm = new NumpyLegacyRandom((int) seed).permutation(idx.size());
                    for (int k = 0; k < (int) cutoff; k++) {
                        sampled.add(idx.get(perm[k]));
                    }
                }
            }
        }
        // Pass 2: write what is kept, in order.
        BufferedWriter tags = highFrequency.equals("tag") && tagFile != null
                ? Files.newBufferedWriter(Path.of(tagFile), StandardCharsets.UTF_8) : null;
        ObjectMapper json = new ObjectMapper();
        try (Pass p = input.get()) {
            Conversation c;
            long i = 0;
            while ((c = p.next()) != null) {
                boolean isFrequent = frequent.contains(i);
                if (lastIndexOfId.get(idAndPrompt.get((int) i)[0]) != i) {
                    outcomes.drop(c, "duplicate_id");
                } else if (isFrequent && highFrequency.equals("drop") && !sampled.contains(i)) {
                    outcomes.drop(c, "high_frequency_prompt");
                } else if (isFrequent && highFrequency.equals("tag")) {
                    if (tags != null) {
                        ObjectNode row = json.createObjectNode();
                        row.put("conversation_id", Utf16.scrub(c.conversationId()));
                        row.putObject("dedup_tag").put("high_freq", true).put("sampled", sampled.contains(i));
                        tags.write(json.writeValueAsString(row));
                        tags.write('\n');
                    }
                    outcomes.change(c);
                } else {
                    outcomes.keep(c);
                }
                i++;
            }
        } finally {
            if (tags != null) {
                tags.close();
            }
        }
    }

    /** pandas' Series.quantile: linear interpolation between the closest ranks. */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
