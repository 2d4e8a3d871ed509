package org.chatcorpus.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What one stage saw, kept, changed and dropped (by reason), and how long it took. Thread-safe. */
public final class StageCounts {
    private final String stage;
    private final LongAdder seen = new LongAdder();
    private final LongAdder kept = new LongAdder();
    private final LongAdder changed = new LongAdder();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> noted = new ConcurrentHashMap<>();
    private final LongAdder nanos = new LongAdder();

    public StageCounts(String stage) {
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }

    public void record(StageOutcome o) {
        seen.increment();
        if (o.dropped()) {
            dropped.computeIfAbsent(o.dropReason(), k -> new LongAdder()).increment();
        } else {
            kept.increment();
            if (o.changed()) {
                changed.increment();
            }
            if (o.note() != null) {
                noted.computeIfAbsent(o.note(), k -> new LongAdder()).increment();
            }
        }
    }

    /** Kept conversations carrying a note (e.g. "unmoderated"), by note; sorted. */
    public Map<String, Long> noted() {
        Map<String, Long> out = new TreeMap<>();
        noted.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void addNanos(long n) {
        nanos.add(n);
    }

    public long seen() {
        return seen.sum();
    }

    public long kept() {
        return kept.sum();
    }

    public long changed() {
        return changed.sum();
    }

    public Map<String, Long> dropped() {
        Map<String, Long> out = new TreeMap<>();
        dropped.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public double seconds() {
        return nanos.sum() / 1e9;
    }

    public ObjectNode toJson(ObjectMapper m) {
        ObjectNode n = m.createObjectNode();
        n.put("stage", stage);
        n.put("in", seen());
        n.put("out", kept());
        n.put("changed", changed());
        ObjectNode d = n.putObject("dropped");
        dropped().forEach(d::put);
        if (!noted.isEmpty()) {
            ObjectNode t = n.putObject("noted");
            noted().forEach(t::put);
        }
        n.put("seconds", Math.round(seconds() * 1000) / 1000.0);
        return n;
    }

    /** Adds what another worker counted for the same stage (a Spark task's share, say). */
    public void merge(StageCounts o) {
        seen.add(o.seen());
        kept.add(o.kept());
        changed.add(o.changed());
        o.dropped().forEach((k, v) -> dropped.computeIfAbsent(k, x -> new LongAdder()).add(v));
        o.noted().forEach((k, v) -> noted.computeIfAbsent(k, x -> new LongAdder()).add(v));
        nanos.add(o.nanos.sum());
    }

    /** Restores counts saved by a finished phase of an earlier, interrupted run. */
    public static StageCounts fromJson(JsonNode n) {
        StageCounts c = new StageCounts(n.get("stage").asText());
        c.seen.add(n.get("in").asLong());
        c.kept.add(n.get("out").asLong());
        c.changed.add(n.get("changed").asLong());
        n.get("dropped").fields().forEachRemaining(e -> c.dropped.computeIfAbsent(e.getKey(), k -> new LongAdder()).add(e.getValue().asLong()));
        n.path("noted").fields().forEachRemaining(e -> c.noted.computeIfAbsent(e.getKey(), k -> new LongAdder()).add(e.getValue().asLong()));
        c.nanos.add((long) (n.get("seconds").asDouble() * 1e9));
        return c;
    }
}
