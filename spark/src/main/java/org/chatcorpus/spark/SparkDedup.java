package org.chatcorpus.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.chatcorpus.core.io.parquet.ReleaseSchema;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.random.NumpyLegacyRandom;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.pipeline.stages.DedupStage;
import scala.Tuple2;

/**
 * {@link DedupStage} as Spark operations, with its decisions unchanged: the last occurrence of
 * each conversation_id wins (a reduce by id hash over (index, prompt hash) keys); with the
 * high-frequency cap, the per-prompt counts of the winners give the cutoff (the pandas quantile,
 * from the histogram of counts, which the driver collects: one entry per distinct count), and the
 * few prompts above it are collected with their indexes in input order to draw pandas' sample with
 * numpy's RandomState, as the local stage does. Only indexes (8 bytes each) of the dropped or
 * tagged conversations reach the driver; they go back to the tasks as a broadcast.
 */
final class SparkDedup {
    private SparkDedup() {
    }

    record Result(Fates fates) {
    }

    static Result run(JavaSparkContext sc, Storage storage, DedupStage stage, List<Source> sources, String phaseDir) {
        boolean cap = !stage.highFrequency().equals(DedupStage.OFF);
        Set<String> columns = cap ? Set.of(ReleaseSchema.CONVERSATION_ID, ReleaseSchema.MODEL, ReleaseSchema.CONVERSATION)
                : Set.of(ReleaseSchema.CONVERSATION_ID, ReleaseSchema.MODEL);
        // (id hash) -> (index, prompt hash)
        JavaPairRDD<Long, long[]> keys = sc.parallelize(sources, Math.max(1, sources.size())).flatMapToPair(src -> {
            List<Tuple2<Long, long[]>> out = new ArrayList<>();
            Keys.read(storage, src, columns, (i, c) -> out.add(new Tuple2<>(DedupStage.hash(c.conversationId()),
                    new long[] {i, cap ? DedupStage.hash(DedupStage.promptKey(c)) : 0})));
            return out.iterator();
        });
        // Per id: the winner (last index) and every earlier occurrence (dropped as duplicate_id).
        JavaRDD<long[]> perId = keys.groupByKey().map(g -> {
            long[] best = null;
            List<Long> losers = new ArrayList<>();
            for (long[] v : g._2()) {
                if (best == null || v[0] > best[0]) {
                    if (best != null) {
                        losers.add(best[0]);
                    }
                    best = v;
                } else {
                    losers.add(v[0]);
                }
            }
            long[] out = new long[2 + losers.size()];
            out[0] = best[0];
            out[1] = best[1];
            for (int k = 0; k < losers.size(); k++) {
                out[2 + k] = losers.get(k);
            }
            return out;
        }).cache();
        try {
            Keys.IndexSet duplicates = Keys.IndexSet.of(perId.filter(a -> a.length > 2).flatMap(a -> {
                List<Long> l = new ArrayList<>();
                for (int k = 2; k < a.length; k++) {
                    l.add(a[k]);
                }
                return l.iterator();
            }).collect());
            Keys.IndexSet frequent = Keys.IndexSet.empty();
            Keys.IndexSet sampled = Keys.IndexSet.empty();
            if (cap) {
                JavaPairRDD<Long, Long> winners = perId.mapToPair(a -> new Tuple2<>(a[1], a[0]));
                JavaPairRDD<Long, Integer> sizes = winners.mapValues(v -> 1).reduceByKey(Integer::sum).cache();
                Map<Integer, Long> histogram = new TreeMap<>(sizes.mapToPair(t -> new Tuple2<>(t._2(), 1L)).reduceByKey(Long::sum).collectAsMap());
                double cutoff = quantile(histogram, stage.percentile());
                List<Long> frequentKeys = sizes.filter(t -> t._2() > cutoff).keys().collect();
                sizes.unpersist();
                Broadcast<Keys.IndexSet> fk = sc.broadcast(Keys.IndexSet.of(frequentKeys));
                List<Long> freq = new ArrayList<>();
                List<Long> samp = new ArrayList<>();
                for (Tuple2<Long, Iterable<Long>> g : winners.filter(t -> fk.value().contains(t._1())).groupByKey().collect()) {
                    List<Long> idx = Keys.list(g._2());
                    idx.sort(null); // input order, as the local stage lists occurrences
                    freq.addAll(idx);
                    int[] perm = new NumpyLegacyRandom((int) stage.seed()).permutation(idx.size());
                    for (int k = 0; k < (int) cutoff; k++) {
                        samp.add(idx.get(perm[k]));
                    }
                }
                frequent = Keys.IndexSet.of(freq);
                sampled = Keys.IndexSet.of(samp);
            }
            Broadcast<Decisions> b = sc.broadcast(new Decisions(duplicates, frequent, sampled));
            return new Result(new DedupFates(b, stage.highFrequency(), stage.tagFile() != null));
        } finally {
            perId.unpersist();
        }
    }

    /** pandas' quantile (linear interpolation) of the sorted per-prompt counts, from their histogram. */
    static double quantile(Map<Integer, Long> histogram, double q) {
        long n = histogram.values().stream().mapToLong(Long::longValue).sum();
        if (n == 0) {
            return 0;
        }
        double pos = q * (n - 1);
        long lo = (long) Math.floor(pos);
        long hi = Math.min(lo + 1, n - 1);
        double a = at(histogram, lo);
        double b = at(histogram, hi);
        return a + (pos - lo) * (b - a);
    }

    private static double at(Map<Integer, Long> histogram, long rank) {
        long seen = 0;
        for (Map.Entry<Integer, Long> e : histogram.entrySet()) {
            seen += e.getValue();
            if (rank < seen) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("rank " + rank + " beyond " + seen);
    }

    record Decisions(Keys.IndexSet duplicates, Keys.IndexSet frequent, Keys.IndexSet sampled) implements java.io.Serializable {
    }

    /** The local stage's second pass, decision by decision. */
    record DedupFates(Broadcast<Decisions> decisions, String mode, boolean tags) implements Fates {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public String fate(long i, Conversation c) {
            Decisions d = decisions.value();
            if (d.duplicates().contains(i)) {
                return "duplicate_id";
            }
            boolean isFrequent = d.frequent().contains(i);
            if (isFrequent && mode.equals("drop") && !d.sampled().contains(i)) {
                return "high_frequency_prompt";
            }
            return isFrequent && mode.equals("tag") ? CHANGED : null;
        }

        @Override
        public String side(long i, Conversation c) {
            Decisions d = decisions.value();
            if (!tags || !mode.equals("tag") || d.duplicates().contains(i) || !d.frequent().contains(i)) {
                return null;
            }
            ObjectNode row = JSON.createObjectNode();
            row.put("conversation_id", Utf16.scrub(c.conversationId()));
            row.putObject("dedup_tag").put("high_freq", true).put("sampled", d.sampled().contains(i));
            try {
                return JSON.writeValueAsString(row);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
