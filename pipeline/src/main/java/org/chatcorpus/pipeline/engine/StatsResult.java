package org.chatcorpus.pipeline.engine;

import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.stats.BasicStatistics;

/** The Basic Statistics and what was quarantined on the way (its count, and the first records). */
public record StatsResult(BasicStatistics statistics, CountingQuarantine quarantine) {
}
