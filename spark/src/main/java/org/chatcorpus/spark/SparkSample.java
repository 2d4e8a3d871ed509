package org.chatcorpus.spark;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.chatcorpus.core.io.JsonlQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.RecordException;
import org.chatcorpus.core.io.json.ReleaseRecordJson;
import org.chatcorpus.core.io.parquet.ParquetConversationReader;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.random.PythonRandom;
import org.chatcorpus.pipeline.Rejections;
import org.chatcorpus.pipeline.StageCounts;
import org.chatcorpus.pipeline.StageOutcome;
import org.chatcorpus.pipeline.stages.SampleStage;
import scala.Tuple2;

/**
 * {@link SampleStage} on Spark: CPython's {@code random.seed(seed); random.shuffle} of the input
 * indexes needs only the count, which the driver knows from the parts; it draws the permutation
 * there (4 bytes per conversation) and ships each conversation's output rank to the tasks as a
 * broadcast. The chosen conversations travel through a shuffle keyed by rank (as the local stage's
 * JSON records, the same round trip) and come out sorted, one range of ranks per part: the
 * sample's order, as locally.
 */
final class SparkSample {
    private SparkSample() {
    }

    record Result(List<Part> parts, StageCounts counts, List<String> quarantine) {
    }

    static Result run(JavaSparkContext sc, Storage storage, SampleStage stage, List<Source> sources, String phaseDir) throws IOException {
        long total = sources.stream().mapToLong(s -> s.part().rows()).sum();
        if (total > Integer.MAX_VALUE) {
            throw new IOException("sample: " + total + " conversations are more than CPython's shuffle of a list is reproduced for here");
        }
        int n = (int) total;
        int[] order = PythonRandom.shuffledIndices(stage.seed(), n);
        int take = (int) Math.min(stage.n(), n);
        int[] rank = new int[n];
        Arrays.fill(rank, -1);
        for (int k = 0; k < take; k++) {
            rank[order[k]] = k;
        }
        Broadcast<int[]> ranks = sc.broadcast(rank);
        String name = stage.name();
        int outParts = Math.max(1, Math.min(sources.size(), take));
        JavaRDD<Tuple2<Integer, byte[]>> chosen = sc.parallelize(sources, Math.max(1, sources.size())).mapPartitionsWithIndex(
                (Integer task, Iterator<Source> it) -> {
                    List<Tuple2<Integer, byte[]>> out = new ArrayList<>();
                    while (it.hasNext()) {
                        chosen(storage, it.next(), ranks.value(), name, phaseDir, task, out);
                    }
                    return out.iterator();
                }, true);
        List<TaskResult> written = JavaPairRDD.fromJavaRDD(chosen).repartitionAndSortWithinPartitions(new RankPartitioner(take, outParts))
                .mapPartitionsWithIndex((Integer p, Iterator<Tuple2<Integer, byte[]>> it) -> List.of(writePart(storage, phaseDir, p, it)).iterator(), true)
                .collect();
        List<Part> parts = new ArrayList<>();
        written.forEach(r -> parts.addAll(r.parts()));
        // Every conversation is seen; the first `take` of the shuffle are kept, the others dropped.
        StageCounts counts = new StageCounts(name);
        Conversation any = Conversation.of("-", "-", List.of());
        for (int i = 0; i < n; i++) {
            counts.record(rank[i] >= 0 ? StageOutcome.keep(any) : StageOutcome.drop("not_sampled"));
        }
        List<String> quarantine = new ArrayList<>();
        for (int t = 0; t < sources.size(); t++) {
            String q = PartTask.quarantinePart(phaseDir, name, t);
            if (storage.exists(q)) {
                quarantine.add(q);
            }
        }
        return new Result(parts, counts, quarantine);
    }

    /** The task's chosen conversations as (rank, record); the others go to its quarantine part. */
    private static void chosen(Storage storage, Source src, int[] rank, String stage, String phaseDir, int task,
            List<Tuple2<Integer, byte[]>> out) throws IOException {
        Path tmp = Files.createTempDirectory("chatcorpus-sample-");
        try {
            Path local = storage.local(src.part().location(), tmp);
            Path q = tmp.resolve("quarantine.jsonl");
            ObjectMapper json = new ObjectMapper();
            long[] i = {src.offset()};
            try (JsonlQuarantine drops = new JsonlQuarantine(q)) {
                new ParquetConversationReader().read(local, c -> {
                    int r = rank[(int) i[0]++];
                    if (r < 0) {
                        drops.reject(Rejections.dropped(stage, c, "not_sampled"));
                        return;
                    }
                    ByteArrayOutputStream record = new ByteArrayOutputStream();
                    try (JsonGenerator g = json.getFactory().createGenerator(record)) {
                        ReleaseRecordJson.write(c, g, true);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    out.add(new Tuple2<>(r, record.toByteArray()));
                }, Quarantine.counting());
            }
            if (Files.size(q) > 0) {
                storage.put(q, PartTask.quarantinePart(phaseDir, stage, task));
            }
        } finally {
            Storage.deleteLocal(tmp);
        }
    }

    private static TaskResult writePart(Storage storage, String phaseDir, int p, Iterator<Tuple2<Integer, byte[]>> it) throws IOException {
        Path tmp = Files.createTempDirectory("chatcorpus-sample-out-");
        try {
            ObjectMapper json = new ObjectMapper();
            ParquetShardWriter w = new ParquetShardWriter(tmp, Long.MAX_VALUE, true);
            try {
                while (it.hasNext()) {
                    try {
                        w.write(ReleaseRecordJson.parse(json.readTree(it.next()._2())));
                    } catch (RecordException e) {
                        throw new IOException("sample: cannot read back its own record: " + e.getMessage(), e);
                    }
                }
            } finally {
                w.close();
            }
            List<Part> parts = new ArrayList<>();
            if (!w.summary().shards().isEmpty()) {
                String target = Storage.child(phaseDir, String.format("part-%05d-0000.parquet", p));
                storage.put(w.summary().shards().get(0), target);
                parts.add(new Part(target, w.summary().numExamples()));
            }
            return new TaskResult(p, parts, "[]", java.util.Map.of(), List.of());
        } finally {
            Storage.deleteLocal(tmp);
        }
    }

    /** Ranks 0..take-1 in equal consecutive ranges, so partition order is rank order. */
    static final class RankPartitioner extends Partitioner implements Serializable {
        private final int take;
        private final int parts;

        RankPartitioner(int take, int parts) {
            this.take = Math.max(1, take);
            this.parts = parts;
        }

        @Override
        public int numPartitions() {
            return parts;
        }

        @Override
        public int getPartition(Object key) {
            return (int) ((long) (Integer) key * parts / take);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RankPartitioner r && r.take == take && r.parts == parts;
        }

        @Override
        public int hashCode() {
            return take * 31 + parts;
        }
    }
}
