package org.chatcorpus.pipeline.stages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.pipeline.DatasetStage;

/**
 * Near-duplicate prompts by MinHash LSH (optional; not in the default pipeline). The text of a
 * conversation is its user messages (as the exact-dedup key), cut to 4,000 characters, lower-cased,
 * split into words (letter/digit runs; each CJK character is a word) and shingled into word
 * 3-grams. 64 MinHash values per conversation, 16 bands of 4: pairs that share a band are
 * candidates, and a candidate joins its bucket's first member's cluster when the estimated Jaccard
 * similarity is at least {@code threshold}.
 *
 * <p>{@code action: tag} (default) keeps everything and writes {@code near_duplicates.jsonl} beside
 * the release: one line per member of a cluster ({@code conversation_id}, {@code cluster} — the
 * representative's id, the first in input order — and {@code similarity} to it); members other
 * than the representative count as changed. {@code action: drop} drops them with reason
 * {@code near_duplicate}. Memory: 64 ints per conversation (256 MB per million).
 */
public final class NearDuplicateStage implements DatasetStage {
    static final int HASHES = MinHash.HASHES;
    static final int BANDS = MinHash.BANDS;

    private final double threshold;
    private final boolean drop;
    private final long seed;
    private final String tagFile; // a String: stages are Serializable and Path is not

    /**
     * @param tagFile where {@code tag} writes its clusters (normally RELEASE/near_duplicates.jsonl); null to count only
     */
    public NearDuplicateStage(double threshold, boolean drop, long seed, Path tagFile) {
        if (threshold <= 0 || threshold > 1) {
            throw new IllegalArgumentException("near_dup threshold must be in (0, 1], got " + threshold);
        }
        this.threshold = threshold;
        this.drop = drop;
        this.seed = seed;
        this.tagFile = tagFile == null ? null : tagFile.toString();
    }

    @Override
    public String name() {
        return "near_dup";
    }

    public double threshold() {
        return threshold;
    }

    /** True for {@code action: drop}, false for {@code tag}. */
    public boolean drops() {
        return drop;
    }

    public long seed() {
        return seed;
    }

    /** Where {@code tag} writes its clusters, or null. */
    public String tagFile() {
        return tagFile;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threshold", threshold);
        m.put("action", drop ? "drop" : "tag");
        m.put("hashes", HASHES);
        m.put("bands", BANDS);
        m.put("shingle", "word 3-grams of the user messages");
        return m;
    }

    @Override
    public void run(Supplier<Pass> input, Outcomes outcomes) throws IOException {
        MinHash minHash = new MinHash(seed);
        // Pass 1: signatures.
        int[] sigs = new int[1024 * HASHES];
        int n = 0;
        try (Pass p = input.get()) {
            for (Conversation c; (c = p.next()) != null; n++) {
                if ((n + 1) * HASHES > sigs.length) {
                    sigs = Arrays.copyOf(sigs, sigs.length * 2);
                }
                minHash.signature(DedupStage.promptKey(c), sigs, n * HASHES);
            }
        }
        // Bands: a bucket's first member is the candidate partner of every later member.
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int b = 0; b < BANDS; b++) {
            Map<Long, Integer> first = new HashMap<>(Math.max(16, n * 2));
            for (int i = 0; i < n; i++) {
                long key = MinHash.bandKey(sigs, i, b);
                Integer j = first.putIfAbsent(key, i);
                if (j != null && MinHash.similarity(sigs, i, sigs, j) >= threshold) {
                    union(parent, i, j);
                }
            }
        }
        // Pass 2: tag or drop the members of each cluster other than its first (representative).
        ObjectMapper json = new ObjectMapper();
        Map<Integer, String> representativeId = new HashMap<>();
        int[] clusterSize = new int[n];
        for (int i = 0; i < n; i++) {
            clusterSize[find(parent, i)]++;
        }
        BufferedWriter tags = !drop && tagFile != null ? Files.newBufferedWriter(Path.of(tagFile), StandardCharsets.UTF_8) : null;
        try (Pass p = input.get()) {
            int i = 0;
            for (Conversation c; (c = p.next()) != null; i++) {
                int root = find(parent, i);
                if (clusterSize[root] < 2) {
                    outcomes.keep(c);
                    continue;
                }
                // The root is the smallest index of its cluster (see union), so it is seen first.
                boolean representative = root == i;
                if (representative) {
                    representativeId.put(root, c.conversationId());
                }
                if (tags != null) {
                    ObjectNode row = json.createObjectNode();
                    row.put("conversation_id", Utf16.scrub(c.conversationId()));
                    row.put("cluster", Utf16.scrub(representativeId.get(root)));
                    row.put("similarity", Math.round(MinHash.similarity(sigs, i, sigs, root) * 1000) / 1000.0);
                    tags.write(json.writeValueAsString(row));
                    tags.write('\n');
                }
                if (representative) {
                    outcomes.keep(c);
                } else if (drop) {
                    outcomes.drop(c, "near_duplicate");
                } else {
                    outcomes.change(c);
                }
            }
        } finally {
            if (tags != null) {
                tags.close();
            }
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Joins two clusters, keeping the smaller index as the root so the root is its cluster's first member. */
    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
