package org.chatcorpus.pipeline.engine;

import java.io.IOException;

/**
 * A way to run {@code curate} and {@code stats} other than the local runner, on the same stage
 * objects: the Spark engine (module spark/) is one. Engines are found by name through
 * {@link java.util.ServiceLoader} ({@link Engines}), only when a user asks for one, so a run that
 * never asks never loads an engine's classes (nor Spark's).
 *
 * <p>Implementations keep their heavy dependencies out of this class's signature: the provider is
 * instantiated by the service loader and should load its runtime only in {@link #curate} and
 * {@link #stats}.
 */
public interface Engine {
    /** The name given with {@code --engine}, e.g. "spark". */
    String name();

    CurateResult curate(CurateJob job) throws IOException;

    StatsResult stats(StatsJob job) throws IOException;
}
