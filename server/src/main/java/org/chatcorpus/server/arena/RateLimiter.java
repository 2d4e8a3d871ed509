package org.chatcorpus.server.arena;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key token buckets: each key may make {@code perMinute} requests a minute, refilled
 * continuously, with bursts up to the same number. Memory is bounded: past {@code maxKeys} keys,
 * the buckets that have refilled (a key idle long enough is the same as a new one) are dropped,
 * and if that is not enough the least recently used go; the only thing a flood of keys can win is
 * a fresh bucket for a key it pushed out.
 */
public final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private final int maxKeys;
    private final ConcurrentHashMap<String, double[]> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute, int maxKeys) {
        this.capacity = perMinute;
        this.perNano = perMinute / 60e9;
        this.maxKeys = maxKeys;
    }

    /** Takes one token for this key: 0 when granted, else the whole seconds until one is free (for Retry-After). */
    public long acquire(String key) {
        long now = System.nanoTime();
        double[] b = buckets.computeIfAbsent(key, k -> new double[] {capacity, now});
        long wait;
        synchronized (b) {
            b[0] = Math.min(capacity, b[0] + (now - (long) b[1]) * perNano);
            b[1] = now;
            if (b[0] >= 1) {
                b[0] -= 1;
                wait = 0;
            } else {
                wait = Math.max(1, (long) Math.ceil((1 - b[0]) / perNano / 1e9));
            }
        }
        if (buckets.size() > maxKeys) {
            trim(now);
        }
        return wait;
    }

    private synchronized void trim(long now) {
        if (buckets.size() <= maxKeys) {
            return;
        }
        buckets.entrySet().removeIf(e -> {
            double[] b = e.getValue();
            synchronized (b) {
                return b[0] + (now - (long) b[1]) * perNano >= capacity;
            }
        });
        int excess = buckets.size() - maxKeys * 9 / 10;
        if (excess > 0) {
            buckets.entrySet().stream()
                    .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[1]))
                    .limit(excess).map(Map.Entry::getKey).toList()
                    .forEach(buckets::remove);
        }
    }

    int trackedKeys() {
        return buckets.size();
    }
}
