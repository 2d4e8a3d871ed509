package org.chatcorpus.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What a run's model calls cost, per model: calls made, answered from the cache, failed, and tokens. */
public final class TokenUsage {
    /** Counters of one model. */
    public static final class Counts {
        public final AtomicLong calls = new AtomicLong();
        public final AtomicLong cached = new AtomicLong();
        public final AtomicLong errors = new AtomicLong();
        public final AtomicLong promptTokens = new AtomicLong();
        public final AtomicLong completionTokens = new AtomicLong();
    }

    private final Map<String, Counts> byModel = new ConcurrentHashMap<>();

    public Counts of(String model) {
        return byModel.computeIfAbsent(model, m -> new Counts());
    }

    void record(String model, ChatReply reply) {
        Counts c = of(model);
        if (reply.cached()) {
            c.cached.incrementAndGet();
        } else {
            c.calls.incrementAndGet();
            c.promptTokens.addAndGet(reply.promptTokens());
            c.completionTokens.addAndGet(reply.completionTokens());
        }
    }

    void recordError(String model) {
        of(model).errors.incrementAndGet();
    }

    /** One line per model, sorted by name, for the end of a run. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Counts> e : new TreeMap<>(byModel).entrySet()) {
            Counts c = e.getValue();
            lines.add(String.format("%s: %,d calls, %,d from cache, %,d failed, %,d prompt + %,d completion tokens",
                    e.getKey(), c.calls.get(), c.cached.get(), c.errors.get(), c.promptTokens.get(), c.completionTokens.get()));
        }
        return lines;
    }
}
