package org.chatcorpus.pipeline.engine;

import java.util.List;
import org.chatcorpus.pipeline.StageCounts;

/**
 * What an engine's curate run did: per-stage counts (the first is the reading of the input),
 * what was written, and where.
 */
public record CurateResult(List<StageCounts> counts, long numExamples, int shards, long quarantined, String data, String card,
        String provenance, String quarantine) {
}
