package org.chatcorpus.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.io.ConversationReader;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.io.Readers;
import org.chatcorpus.core.io.parquet.ParquetConversationReader;

/**
 * The input as tasks, in the local runner's reading order: files grouped by format in order of
 * first appearance (as {@link Readers#group}), each group's files in order. FastChat logs are one
 * task (the last state of a conversation may be in a later file); a local Parquet file is cut into
 * 64 MiB row-group ranges as the local runner cuts it; every other file is one task. A file whose
 * format cannot be told is quarantined as a whole, as locally.
 */
record InputPlan(List<String> files, List<Source> splits, List<QuarantinedRecord> unreadable) {
    private static final int HEAD_BYTES = 64 * 1024;
    static final long PARQUET_RANGE = 64L << 20;

    static InputPlan of(Storage storage, List<String> inputs, String format, Path tmp) throws IOException {
        List<String> files = storage.expand(inputs);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<QuarantinedRecord> unreadable = new ArrayList<>();
        for (String f : files) {
            ConversationReader r;
            try {
                r = format == null || format.equals("auto") ? Readers.detect(storage.localHead(f, tmp, HEAD_BYTES)) : Readers.byName(format);
            } catch (Readers.UnknownFormatException e) {
                unreadable.add(new QuarantinedRecord(f, "file", e.reason() + "; file skipped", ""));
                continue;
            }
            groups.computeIfAbsent(r.format(), k -> new ArrayList<>()).add(f);
        }
        List<Source> splits = new ArrayList<>();
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            if (g.getKey().equals("fastchat-log")) {
                splits.add(Source.split(g.getKey(), g.getValue(), 0, Long.MAX_VALUE));
                continue;
            }
            for (String f : g.getValue()) {
                if (g.getKey().equals("parquet") && Storage.isPlain(f)) {
                    for (long[] r : ParquetConversationReader.ranges(Path.of(f), PARQUET_RANGE)) {
                        splits.add(Source.split("parquet", List.of(f), r[0], r[1]));
                    }
                } else {
                    splits.add(Source.split(g.getKey(), List.of(f), 0, Long.MAX_VALUE));
                }
            }
        }
        return new InputPlan(files, splits, unreadable);
    }
}
