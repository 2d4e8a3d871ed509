package org.chatcorpus.llm;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how long to wait before trying a failed call again: exponential backoff with full
 * jitter (so many workers hit by the same 429 do not come back together), never shorter than the
 * server's Retry-After, capped.
 *
 * @param maxAttempts total attempts including the first (1 = no retry)
 * @param base        the first backoff
 * @param cap         the longest single wait
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap) {
    /** Six attempts from 1 s up to 60 s: rides out a rate-limit window of a public API. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60));
    /** For interactive use (the Arena): a user is waiting, so fail fast. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait before attempt {@code attempt + 1}, given the failed attempt number (1-based). */
    public long backoffMillis(int attempt, long retryAfterMillis) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(20, attempt - 1));
        long jittered = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        return Math.max(jittered, Math.min(retryAfterMillis, cap.toMillis()));
    }
}
