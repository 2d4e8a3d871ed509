package org.chatcorpus.spark;

import java.io.IOException;
import org.chatcorpus.pipeline.engine.CurateJob;
import org.chatcorpus.pipeline.engine.CurateResult;
import org.chatcorpus.pipeline.engine.StatsJob;
import org.chatcorpus.pipeline.engine.StatsResult;

/** The Spark side of {@link SparkEngine}: loaded only once Spark is known to be there. */
final class SparkRuns {
    private SparkRuns() {
    }

    static CurateResult curate(CurateJob job) throws IOException {
        try (Sessions.Handle h = Sessions.open(job.settings().get(SparkEngine.MASTER), "chatcorpus curate")) {
            return SparkCurate.run(h.sc(), job);
        }
    }

    static StatsResult stats(StatsJob job) throws IOException {
        try (Sessions.Handle h = Sessions.open(job.settings().get(SparkEngine.MASTER), "chatcorpus stats")) {
            return SparkStats.run(h.sc(), job);
        }
    }
}
