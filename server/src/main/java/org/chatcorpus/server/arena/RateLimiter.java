package org.chatcorpus.server.arena;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-user-key token buckets: each key may make {@code perMinute} requests a minute, refilled
 * continuously, with bursts up to the same number. Buckets of idle keys are dropped lazily.
 */
public final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private final ConcurrentHashMap<String, double[]> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute) {
        this.capacity = perMinute;
        this.perNano = perMinute / 60e9;
    }

    /** Takes one token for this key; false when the key is over its limit. */
    public boolean tryAcquire(String key) {
        long now = System.nanoTime();
        double[] b = buckets.computeIfAbsent(key, k -> new double[] {capacity, now});
        synchronized (b) {
            b[0] = Math.min(capacity, b[0] + (now - (long) b[1]) * perNano);
            b[1] = now;
            if (b[0] >= 1) {
                b[0] -= 1;
                return true;
            }
            return false;
        }
    }

    int trackedKeys() {
        return buckets.size();
    }
}
