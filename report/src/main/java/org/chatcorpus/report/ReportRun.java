package org.chatcorpus.report;

import java.io.IOException;
import java.util.List;
import org.chatcorpus.core.io.BatchWorkers;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.tokenize.TokenCounter;

/**
 * One streaming pass over a dataset for the report, on all cores ({@link BatchWorkers}): readers
 * hand batches through a bounded queue to one worker per core, each with its own {@link ReportAccumulator}; the
 * accumulators are merged at the end. Memory is bounded by the queue, the per-worker counters and
 * the topic sample, never by the dataset.
 */
public final class ReportRun {
    /** The merged counts and the Basic Statistics, computed exactly as the stats command does. */
    public record Result(BasicStatistics stats, ReportAccumulator counts, boolean tokens) {
    }

    private ReportRun() {
    }

    public static Result compute(DatasetReader input, TokenCounter tokens, Quarantine quarantine, Progress progress,
            int sampleSize, long seed) throws IOException {
        List<ReportAccumulator> accs = BatchWorkers.run(input, quarantine, progress, "report",
                () -> new ReportAccumulator(sampleSize, seed), (acc, c) -> acc.add(c, tokens));
        ReportAccumulator total = new ReportAccumulator(sampleSize, seed);
        for (ReportAccumulator a : accs) {
            total.merge(a);
        }
        BasicStatistics stats = BasicStatistics.of(total.stats, tokens == null ? null : tokens.name(), quarantine.count());
        return new Result(stats, total, tokens != null);
    }
}
