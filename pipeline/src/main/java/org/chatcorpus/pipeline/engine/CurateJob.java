package org.chatcorpus.pipeline.engine;

import java.util.List;
import java.util.Map;
import org.chatcorpus.pipeline.PipelineConfig;

/**
 * A curate run for an engine. Locations are strings because an engine may read and write any
 * file system it knows (Spark: {@code file:}, {@code hdfs:}, {@code s3a:} …); a plain path is a
 * local one.
 *
 * @param work      quarantine and run state (the release's sibling {@code OUT.work} when null)
 * @param inputRoot folder the provenance input paths are relative to, or null for their common folder
 * @param settings  engine settings, e.g. {@code master} for Spark
 */
public record CurateJob(PipelineConfig config, long shardBytes, List<String> inputs, String format, String out, String work,
        String inputRoot, Map<String, String> settings) {
}
