package org.chatcorpus.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.chatcorpus.core.io.parquet.ReleaseSchema;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.pipeline.stages.DedupStage;
import org.chatcorpus.pipeline.stages.MinHash;
import org.chatcorpus.pipeline.stages.NearDuplicateStage;
import scala.Tuple2;

/**
 * {@link NearDuplicateStage} as Spark operations, with the local stage's clusters: signatures are
 * computed by the tasks; the LSH buckets are a group by (band, band key), whose first member (the
 * smallest index, as the local stage's first-seen) is the candidate partner of every later member;
 * candidate pairs and their signatures (only those) are collected, and the driver joins pairs at
 * least {@code threshold} similar with the local stage's union-find (smallest index as root), so
 * the clusters, representatives and similarities are the local ones.
 */
final class SparkNearDuplicates {
    private SparkNearDuplicates() {
    }

    /** The decisions, and the signatures of every clustered conversation for the tag lines. */
    record Result(Fates fates, Map<Long, Long> rootOf, Map<Long, int[]> signatures) {
        /** The local stage's tag lines: one per clustered conversation, in input order. */
        List<TaskResult.Side> tagRows(List<TaskResult.Side> ids) throws IOException {
            ObjectMapper json = new ObjectMapper();
            Map<Long, String> idOf = new HashMap<>();
            ids.forEach(s -> idOf.put(s.index(), s.row()));
            List<TaskResult.Side> out = new ArrayList<>();
            for (TaskResult.Side s : ids) {
                long root = rootOf.get(s.index());
                ObjectNode row = json.createObjectNode();
                row.put("conversation_id", Utf16.scrub(s.row()));
                row.put("cluster", Utf16.scrub(idOf.get(root)));
                row.put("similarity", Math.round(MinHash.similarity(signatures.get(s.index()), 0, signatures.get(root), 0) * 1000) / 1000.0);
                out.add(new TaskResult.Side(s.index(), json.writeValueAsString(row)));
            }
            return out;
        }
    }

    static Result run(JavaSparkContext sc, Storage storage, NearDuplicateStage stage, List<Source> sources) {
        long seed = stage.seed();
        Set<String> columns = Set.of(ReleaseSchema.CONVERSATION_ID, ReleaseSchema.MODEL, ReleaseSchema.CONVERSATION);
        JavaPairRDD<Long, int[]> sigs = sc.parallelize(sources, Math.max(1, sources.size())).flatMapToPair(src -> {
            MinHash minHash = new MinHash(seed);
            List<Tuple2<Long, int[]>> out = new ArrayList<>();
            Keys.read(storage, src, columns, (i, c) -> out.add(new Tuple2<>(i, minHash.signature(DedupStage.promptKey(c)))));
            return out.iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            // (band, key) -> index; every member of a bucket but its first is paired with the first.
            List<Tuple2<Long, Long>> pairs = sigs.flatMapToPair(t -> {
                List<Tuple2<Tuple2<Integer, Long>, Long>> out = new ArrayList<>(MinHash.BANDS);
                for (int b = 0; b < MinHash.BANDS; b++) {
                    out.add(new Tuple2<>(new Tuple2<>(b, MinHash.bandKey(t._2(), 0, b)), t._1()));
                }
                return out.iterator();
            }).groupByKey().flatMapToPair(g -> {
                List<Long> members = Keys.list(g._2());
                List<Tuple2<Long, Long>> out = new ArrayList<>();
                if (members.size() > 1) {
                    long first = members.stream().mapToLong(Long::longValue).min().getAsLong();
                    members.stream().filter(m -> m != first).forEach(m -> out.add(new Tuple2<>(m, first)));
                }
                return out.iterator();
            }).distinct().collect();
            Set<Long> candidates = new java.util.HashSet<>();
            pairs.forEach(p -> {
                candidates.add(p._1());
                candidates.add(p._2());
            });
            Broadcast<Keys.IndexSet> wanted = sc.broadcast(Keys.IndexSet.of(new ArrayList<>(candidates)));
            Map<Long, int[]> sig = new HashMap<>(sigs.filter(t -> wanted.value().contains(t._1())).collectAsMap());
            double threshold = stage.threshold();
            // Union-find over the pairs that pass, the smaller index as root (the cluster's first member).
            Map<Long, Long> parent = new HashMap<>();
            for (Tuple2<Long, Long> p : pairs) {
                if (MinHash.similarity(sig.get(p._1()), 0, sig.get(p._2()), 0) >= threshold) {
                    long ra = find(parent, p._1());
                    long rb = find(parent, p._2());
                    if (ra != rb) {
                        parent.put(Math.max(ra, rb), Math.min(ra, rb));
                    }
                }
            }
            Map<Long, Long> rootOf = new TreeMap<>();
            for (Long i : new ArrayList<>(parent.keySet())) {
                rootOf.put(i, find(parent, i));
            }
            // Roots are in parent only as values: add them as their own root.
            for (Long r : new ArrayList<>(rootOf.values())) {
                rootOf.put(r, r);
            }
            Map<Long, int[]> memberSigs = new HashMap<>();
            rootOf.keySet().forEach(i -> memberSigs.put(i, sig.get(i)));
            long[] members = rootOf.keySet().stream().mapToLong(Long::longValue).toArray();
            long[] roots = rootOf.values().stream().mapToLong(Long::longValue).toArray();
            Broadcast<Clusters> clusters = sc.broadcast(new Clusters(members, roots));
            return new Result(new NearDupFates(clusters, stage.drops(), !stage.drops() && stage.tagFile() != null), rootOf, memberSigs);
        } finally {
            sigs.unpersist();
        }
    }

    private static long find(Map<Long, Long> parent, long i) {
        long r = i;
        for (Long p; (p = parent.get(r)) != null && p != r; ) {
            r = p;
        }
        return r;
    }

    /** Clustered indexes (sorted) and their roots. */
    record Clusters(long[] members, long[] roots) implements java.io.Serializable {
        long rootOf(long i) {
            int k = java.util.Arrays.binarySearch(members, i);
            return k < 0 ? -1 : roots[k];
        }
    }

    record NearDupFates(Broadcast<Clusters> clusters, boolean drop, boolean tags) implements Fates {
        @Override
        public String fate(long i, Conversation c) {
            long root = clusters.value().rootOf(i);
            if (root < 0 || root == i) {
                return null;
            }
            return drop ? "near_duplicate" : CHANGED;
        }

        /** The conversation_id of every clustered conversation; the driver makes the tag lines. */
        @Override
        public String side(long i, Conversation c) {
            return tags && clusters.value().rootOf(i) >= 0 ? c.conversationId() : null;
        }
    }
}
