package org.chatcorpus.llm;

/**
 * Spaces calls to one endpoint at least {@code 1/rate} seconds apart across all threads, so a
 * batch never sends more than its configured requests per second (a public API's limit).
 */
final class RateLimiter {
    private final long intervalNanos;
    private long nextSlot = System.nanoTime();

    RateLimiter(double requestsPerSecond) {
        this.intervalNanos = requestsPerSecond <= 0 ? 0 : (long) (1_000_000_000L / requestsPerSecond);
    }

    void acquire() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextSlot);
            nextSlot = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
