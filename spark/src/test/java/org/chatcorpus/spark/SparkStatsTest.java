package org.chatcorpus.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;
import org.chatcorpus.core.tokenize.TokenCounters;
import org.chatcorpus.pipeline.engine.Engines;
import org.chatcorpus.pipeline.engine.StatsJob;
import org.chatcorpus.pipeline.engine.StatsResult;
import org.chatcorpus.pipeline.language.FastTextLanguageId;
import org.chatcorpus.pipeline.language.LanguageStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stats --engine spark prints the local stats: the same JSON document on the same input. */
class SparkStatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void spark() {
        SharedSpark.get();
    }

    @Test
    void statsOnSparkEqualTheLocalStatsJson() throws Exception {
        SyntheticCorpus corpus = new SyntheticCorpus(11);
        Path jsonl = dir.resolve("in/a.jsonl");
        Files.createDirectories(jsonl.getParent());
        try (JsonlConversationWriter w = JsonlConversationWriter.create(jsonl, true)) {
            for (int i = 0; i < 300; i++) {
                Conversation c = corpus.conversation(i).withCollection("user-" + (i % 37), 1.7e9 + i);
                // No language, as raw logs: named from the first prompt, as locally.
                w.write(i % 2 == 0 ? c.withLanguage("") : c);
            }
            w.write(Conversation.of("empty", "vicuna-13b", List.of())); // not a conversation: quarantined by both
        }
        Files.writeString(jsonl, "{not json\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ParquetShardWriter p = new ParquetShardWriter(dir.resolve("in/b"), 1 << 20, false);
        for (int i = 300; i < 500; i++) {
            p.write(corpus.conversation(i));
        }
        p.close();
        List<String> inputs = List.of(dir.resolve("in").toString());

        CountingQuarantine q = Quarantine.counting();
        BasicStatistics local;
        try (Progress progress = Progress.start("stats", -1)) {
            local = StatisticsRun.compute(new DatasetReader(inputs, null), TokenCounters.resolve("cl100k"), q, progress,
                    text -> FastTextLanguageId.detect(text, LanguageStage.DEFAULT_MIN_CONFIDENCE));
        }
        StatsResult spark = Engines.find("spark").orElseThrow().stats(new StatsJob(inputs, null, "cl100k", Map.of()));

        assertThat(local.conversations()).isEqualTo(500);
        assertThat(local.users()).isEqualTo(37);
        assertThat(q.count()).isEqualTo(2);
        assertThat(spark.quarantine().count()).isEqualTo(2);
        assertThat(JSON.writeValueAsString(spark.statistics().toJson(JSON))).isEqualTo(JSON.writeValueAsString(local.toJson(JSON)));
    }
}
