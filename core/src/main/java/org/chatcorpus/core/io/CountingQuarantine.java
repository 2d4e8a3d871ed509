package org.chatcorpus.core.io;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Counts rejected records and keeps the first few for error messages and tests. */
public class CountingQuarantine implements Quarantine {
    private static final int KEEP = 1000;
    private final AtomicLong count = new AtomicLong();
    private final List<QuarantinedRecord> first = new ArrayList<>();

    @Override
    public void reject(QuarantinedRecord record) {
        count.incrementAndGet();
        synchronized (first) {
            if (first.size() < KEEP) {
                first.add(record);
            }
        }
    }

    @Override
    public long count() {
        return count.get();
    }

    /** The first rejected records (at most 1000), in arrival order. */
    public List<QuarantinedRecord> records() {
        synchronized (first) {
            return List.copyOf(first);
        }
    }
}
