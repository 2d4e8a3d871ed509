package org.chatcorpus.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaSparkContext;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;
import org.chatcorpus.core.stats.StatsAccumulator;
import org.chatcorpus.core.tokenize.TokenCounter;
import org.chatcorpus.core.tokenize.TokenCounters;
import org.chatcorpus.pipeline.engine.StatsJob;
import org.chatcorpus.pipeline.engine.StatsResult;
import org.chatcorpus.pipeline.language.FastTextLanguageId;
import org.chatcorpus.pipeline.language.LanguageStage;

/**
 * stats on Spark: one task per input split (as curate reads the input) sums its slice with core's
 * {@link StatsAccumulator} exactly as the local run counts a conversation
 * ({@link StatisticsRun#count}); the driver merges the slices in order. The tokenizer is named by
 * its spec and loaded once per executor JVM.
 */
final class SparkStats {
    private static final Map<String, TokenCounter> TOKENIZERS = new ConcurrentHashMap<>();
    private static final int KEEP = 1000;

    private SparkStats() {
    }

    record Slice(StatsAccumulator stats, long quarantined, List<QuarantinedRecord> first) implements Serializable {
    }

    static StatsResult run(JavaSparkContext sc, StatsJob job) throws IOException {
        Storage storage = new Storage(sc.hadoopConfiguration());
        TokenCounter tokens = TokenCounters.resolve(job.tokenizer());
        String spec = job.tokenizer();
        Path tmp = Files.createTempDirectory("chatcorpus-spark-stats-");
        InputPlan plan;
        try {
            plan = InputPlan.of(storage, job.inputs(), job.format(), tmp);
        } finally {
            Storage.deleteLocal(tmp);
        }
        List<Slice> slices = plan.splits().isEmpty() ? List.of()
                : sc.parallelize(plan.splits(), plan.splits().size()).map(src -> slice(storage, src, spec)).collect();
        StatsAccumulator total = new StatsAccumulator();
        List<QuarantinedRecord> first = new ArrayList<>(plan.unreadable());
        long quarantined = plan.unreadable().size();
        for (Slice s : slices) {
            total.merge(s.stats());
            quarantined += s.quarantined();
            first.addAll(s.first());
        }
        long count = quarantined;
        CountingQuarantine q = new CountingQuarantine() {
            @Override
            public long count() {
                return count;
            }
        };
        first.stream().limit(KEEP).forEach(q::reject);
        return new StatsResult(BasicStatistics.of(total, tokens == null ? null : tokens.name(), quarantined), q);
    }

    private static Slice slice(Storage storage, Source src, String spec) throws IOException {
        TokenCounter tokens = spec == null || spec.equals("none") ? null : TOKENIZERS.computeIfAbsent(spec, k -> {
            try {
                return TokenCounters.resolve(k);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        UnaryOperator<String> languageOf = text -> FastTextLanguageId.detect(text, LanguageStage.DEFAULT_MIN_CONFIDENCE);
        StatsAccumulator acc = new StatsAccumulator();
        CountingQuarantine quarantine = new CountingQuarantine();
        Path tmp = Files.createTempDirectory("chatcorpus-stats-");
        try {
            storage.read(src, tmp, c -> StatisticsRun.count(acc, c, tokens, quarantine, languageOf), quarantine);
        } finally {
            Storage.deleteLocal(tmp);
        }
        List<QuarantinedRecord> first = quarantine.records().stream().limit(KEEP).toList();
        return new Slice(acc, quarantine.count(), new ArrayList<>(first));
    }
}
