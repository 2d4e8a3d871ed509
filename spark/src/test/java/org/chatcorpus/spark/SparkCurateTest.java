package org.chatcorpus.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.pipeline.LocalRunner;
import org.chatcorpus.pipeline.PipelineConfig;
import org.chatcorpus.pipeline.StageCounts;
import org.chatcorpus.pipeline.engine.CurateJob;
import org.chatcorpus.pipeline.engine.CurateResult;
import org.chatcorpus.pipeline.engine.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark runner gives the local runner's release on the same input, row for row (and, since the
 * driver writes the shards with the same writer in the same order, byte for byte), with the same
 * counts, quarantine and tag files, whatever the partitioning.
 */
class SparkCurateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void spark() {
        SharedSpark.get();
    }

    /**
     * Two inputs of two formats: JSON lines with repeated conversation_ids (a later state wins),
     * repeated prompts (near-duplicates, high-frequency prompts), a blocked word, a marker and one
     * line that is not JSON; and a Parquet release.
     */
    private List<String> inputs() throws Exception {
        SyntheticCorpus corpus = new SyntheticCorpus(7);
        Path jsonl = dir.resolve("in/a.jsonl");
        Files.createDirectories(jsonl.getParent());
        try (JsonlConversationWriter w = JsonlConversationWriter.create(jsonl, false)) {
            for (int i = 0; i < 700; i++) {
                Conversation c = corpus.conversation(i);
                if (i % 50 == 7) {
                    c = c.withConversationId(corpus.conversation(i - 5).conversationId()); // a later state of an earlier conversation
                }
                if (i % 40 == 3) {
                    c = c.withMessages(List.of(Message.user("what is the capital of france?"), Message.assistant("Paris, answer " + i)));
                }
                if (i == 11) {
                    c = c.withMessages(List.of(Message.user("tell me about forbidden things"), Message.assistant("no")));
                }
                if (i == 12) {
                    c = c.withMessages(List.of(Message.user("contains <ANONYMIZED> marker"), Message.assistant("ok")));
                }
                w.write(c);
            }
        }
        Files.writeString(jsonl, "{this line is not JSON\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Path pq = dir.resolve("in/b");
        ParquetShardWriter p = new ParquetShardWriter(pq, 1 << 20, false);
        for (int i = 700; i < 1100; i++) {
            p.write(corpus.conversation(i));
        }
        p.close();
        return List.of(dir.resolve("in").toString());
    }

    private static PipelineConfig config(long sample, String nearDup, String highFrequency) {
        PipelineConfig cfg = PipelineConfig.defaults().withOption("filter", "blockedWords", List.of("forbidden"))
                .withOption("dedup", "highFrequency", highFrequency).withOption("dedup", "percentile", 0.995)
                .withStageAfter("dedup", new PipelineConfig.StageSpec("near_dup", Map.of("action", nearDup)));
        return sample > 0 ? cfg.withOption("sample", "n", sample) : cfg;
    }

    private CurateResult spark(PipelineConfig cfg, List<String> inputs, String out, Map<String, String> settings) throws Exception {
        return Engines.find("spark").orElseThrow().curate(new CurateJob(cfg, 1 << 20, inputs, null, out, null, null, settings));
    }

    @Test
    void curateOnSparkGivesTheLocalRunnersReleaseRowForRow() throws Exception {
        List<String> in = inputs();
        PipelineConfig cfg = config(500, "tag", "tag");
        LocalRunner.Result local = new LocalRunner(cfg, 1 << 20).run(in, null, dir.resolve("local"));
        // 97 rows a part: many tasks, so every index crosses part boundaries.
        CurateResult spark = spark(cfg, in, dir.resolve("spark").toString(), Map.of(SparkCurate.PARTITION_ROWS, "97"));

        List<Conversation> expected = rows(dir.resolve("local"));
        assertThat(expected).hasSize(500);
        assertThat(rows(dir.resolve("spark"))).containsExactlyElementsOf(expected);
        assertThat(spark.numExamples()).isEqualTo(500);
        assertThat(bytes(dir.resolve("spark/data/train-00000-of-00001.parquet"))).isEqualTo(bytes(dir.resolve("local/data/train-00000-of-00001.parquet")));
        assertThat(Files.readString(dir.resolve("spark/README.md"))).isEqualTo(Files.readString(dir.resolve("local/README.md")));
        assertThat(Files.readString(dir.resolve("spark/dedup_tags.jsonl"))).isNotEmpty().isEqualTo(Files.readString(dir.resolve("local/dedup_tags.jsonl")));
        assertThat(Files.readString(dir.resolve("spark/near_duplicates.jsonl"))).isNotEmpty()
                .isEqualTo(Files.readString(dir.resolve("local/near_duplicates.jsonl")));

        assertThat(table(spark.counts())).isEqualTo(table(local.counts()));
        assertThat(spark.quarantined()).isEqualTo(local.quarantined()).isPositive();
        assertThat(byStage(local.counts()).get("dedup").dropped()).containsKey("duplicate_id");
        assertThat(byStage(local.counts()).get("filter").dropped()).containsKeys("blocked_word");
        assertThat(byStage(local.counts()).get("redact").changed()).isPositive();
        assertSameQuarantine(LocalRunner.defaultWorkDir(dir.resolve("local")).resolve("quarantine"),
                LocalRunner.defaultWorkDir(dir.resolve("spark")).resolve("quarantine"));
        assertThat(LocalRunner.defaultWorkDir(dir.resolve("spark")).resolve("run")).doesNotExist();

        JsonNode provenance = JSON.readTree(dir.resolve("spark/provenance.json").toFile());
        assertThat(provenance.get("engine").get("name").asText()).isEqualTo("spark");
        assertThat(provenance.get("engine").get("master").asText()).isEqualTo("local[2]");
        assertThat(provenance.get("engine").get("spark_version").asText()).startsWith("4.");
        assertThat(JSON.readTree(dir.resolve("local/provenance.json").toFile()).get("engine").get("name").asText()).isEqualTo("local");
        assertThat(withoutEngineAndTiming(dir.resolve("spark"))).isEqualTo(withoutEngineAndTiming(dir.resolve("local")));
    }

    @Test
    void dropsThroughHadoopFileSystemLocationsGiveTheLocalRows() throws Exception {
        List<String> in = inputs();
        PipelineConfig cfg = config(0, "drop", "off");
        LocalRunner.Result local = new LocalRunner(cfg, 1 << 20).run(in, null, dir.resolve("local"));
        // file: URIs go through Hadoop's FileSystem, as hdfs: and s3a: do: copied in, uploaded out.
        String out = dir.resolve("spark").toUri().toString();
        CurateResult spark = spark(cfg, List.of(dir.resolve("in").toUri().toString()), out, Map.of());

        assertThat(rows(dir.resolve("spark"))).containsExactlyElementsOf(rows(dir.resolve("local")));
        assertThat(table(spark.counts())).isEqualTo(table(local.counts()));
        assertThat(byStage(local.counts()).get("near_dup").dropped()).containsKey("near_duplicate");
        // Only what may be published, and no Hadoop checksum side files.
        assertThat(listing(dir.resolve("spark"))).isEqualTo(listing(dir.resolve("local")))
                .allMatch(f -> f.equals("README.md") || f.equals("provenance.json") || f.matches("data/train-\\d{5}-of-\\d{5}\\.parquet"));
        JsonNode inputs = JSON.readTree(dir.resolve("spark/provenance.json").toFile()).get("inputs");
        assertThat(inputs.get(0).get("path").asText()).isEqualTo("a.jsonl");
        assertThat(inputs.get(0).get("sha256").asText())
                .isEqualTo(JSON.readTree(dir.resolve("local/provenance.json").toFile()).get("inputs").get(0).get("sha256").asText());
        // The quarantined line names the input as the user named it, not the task's local copy.
        String read = Files.readString(dir.resolve("spark.work/quarantine/read.jsonl"));
        assertThat(read).contains(dir.resolve("in/a.jsonl").toUri().toString().replace("file:///", "file:/"));
    }

    @Test
    void aPipelineWithoutStagesCopiesTheInputInOrder() throws Exception {
        List<String> in = inputs();
        PipelineConfig cfg = new PipelineConfig(42, List.of());
        new LocalRunner(cfg, 1 << 20).run(in, null, dir.resolve("local"));
        CurateResult spark = spark(cfg, in, dir.resolve("spark").toString(), Map.of());
        assertThat(spark.counts()).isEmpty();
        assertThat(rows(dir.resolve("spark"))).hasSizeGreaterThan(1000).containsExactlyElementsOf(rows(dir.resolve("local")));
    }

    private static Map<String, StageCounts> byStage(List<StageCounts> counts) {
        Map<String, StageCounts> m = new java.util.LinkedHashMap<>();
        counts.forEach(c -> m.put(c.stage(), c));
        return m;
    }

    /** Counts without timings. */
    private static List<String> table(List<StageCounts> counts) {
        List<String> out = new ArrayList<>();
        for (StageCounts c : counts) {
            ObjectNode n = c.toJson(JSON);
            n.remove("seconds");
            out.add(n.toString());
        }
        return out;
    }

    private static List<Conversation> rows(Path release) throws Exception {
        return new DatasetReader(List.of(release.resolve("data").toString()), "parquet").readAll(Quarantine.counting());
    }

    private static byte[] bytes(Path p) throws Exception {
        return Files.readAllBytes(p);
    }

    /** The same quarantine files with the same lines (the local runner's order within a batch follows its threads). */
    private static void assertSameQuarantine(Path local, Path spark) throws Exception {
        assertThat(listing(spark)).isEqualTo(listing(local));
        for (String f : listing(local)) {
            List<String> a = new ArrayList<>(Files.readAllLines(local.resolve(f)));
            List<String> b = new ArrayList<>(Files.readAllLines(spark.resolve(f)));
            assertThat(b).as(f).containsExactlyInAnyOrderElementsOf(a);
        }
    }

    private static List<String> listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static String withoutEngineAndTiming(Path release) throws Exception {
        ObjectNode p = (ObjectNode) JSON.readTree(release.resolve("provenance.json").toFile());
        p.remove("engine");
        p.remove("timing");
        return p.toString();
    }
}
