package org.chatcorpus.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What one task reads: a split of the input (files of one format; a byte range of a Parquet file)
 * or a part the previous phase wrote. {@code offset} is the position of its first conversation in
 * the phase's input order (known for parts, -1 for input splits), so whole-dataset stages can
 * name every conversation by its index as the local runner's single pass does.
 */
record Source(String format, List<String> files, long start, long end, Part part, long offset) implements Serializable {
    static Source split(String format, List<String> files, long start, long end) {
        return new Source(format, List.copyOf(files), start, end, null, -1);
    }

    static Source part(Part p, long offset) {
        return new Source("parquet", List.of(p.location()), 0, Long.MAX_VALUE, p, offset);
    }
}
