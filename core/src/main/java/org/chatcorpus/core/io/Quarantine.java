package org.chatcorpus.core.io;

/**
 * Where readers and stages put records they reject. Implementations must be thread-safe:
 * readers of several files and parallel stages report into one quarantine.
 */
public interface Quarantine {
    void reject(QuarantinedRecord record);

    /** Number of records rejected so far. */
    long count();

    /** A quarantine that only counts (for statistics runs that do not keep rejected records). */
    static CountingQuarantine counting() {
        return new CountingQuarantine();
    }
}
