package org.chatcorpus.spark;

import java.io.IOException;
import org.chatcorpus.pipeline.engine.CurateJob;
import org.chatcorpus.pipeline.engine.CurateResult;
import org.chatcorpus.pipeline.engine.Engine;
import org.chatcorpus.pipeline.engine.EngineUnavailableException;
import org.chatcorpus.pipeline.engine.StatsJob;
import org.chatcorpus.pipeline.engine.StatsResult;

/**
 * The {@code --engine spark} provider (META-INF/services). It names no Spark type, so the service
 * loader can instantiate it without Spark on the class path; Spark is touched only in
 * {@link #curate} and {@link #stats}, after a check that says how to get it when it is missing.
 */
public final class SparkEngine implements Engine {
    /** The setting holding the master URL ({@code --master}). */
    public static final String MASTER = "master";

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public CurateResult curate(CurateJob job) throws IOException {
        requireSpark();
        return SparkRuns.curate(job);
    }

    @Override
    public StatsResult stats(StatsJob job) throws IOException {
        requireSpark();
        return SparkRuns.stats(job);
    }

    private static void requireSpark() throws EngineUnavailableException {
        try {
            Class.forName("org.apache.spark.SparkContext", false, SparkEngine.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new EngineUnavailableException("Spark is not on the class path (the spark module has it as `provided`)",
                    "run through ./chatcorpus, which adds Spark for --engine spark (build it with `mvn -B -DskipTests package -pl cli -am`), "
                            + "or use spark-submit");
        }
    }
}
