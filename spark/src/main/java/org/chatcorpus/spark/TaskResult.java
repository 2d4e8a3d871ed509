package org.chatcorpus.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a task reports to the driver: the parts it wrote (in order), its per-stage counts as JSON
 * (StageCounts), the quarantine files it wrote by name (e.g. "filter" for quarantine/filter.jsonl),
 * and side rows (a dataset stage's tag lines) with the index of their conversation. Counts come
 * back with the successful attempt's result, so a retried task is never counted twice.
 */
record TaskResult(int task, List<Part> parts, String counts, Map<String, String> quarantine, List<Side> side) implements Serializable {
    record Side(long index, String row) implements Serializable {
    }
}
