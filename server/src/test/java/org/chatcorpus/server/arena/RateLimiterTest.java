package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Token buckets per key, in bounded memory. */
class RateLimiterTest {
    @Test
    void aKeyOverItsLimitIsToldHowLongToWait() {
        RateLimiter limiter = new RateLimiter(2, 100);
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isBetween(1L, 30L); // one token comes back every 30 s
        assertThat(limiter.acquire("b")).as("another key has its own bucket").isZero();
    }

    @Test
    void aFloodOfKeysStaysWithinTheBoundAndTheLatestKeysKeepTheirState() {
        RateLimiter limiter = new RateLimiter(1, 100);
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire("key-" + i);
        }
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(100);
        assertThat(limiter.acquire("key-9999")).as("the most recent key is still limited").isPositive();
    }
}
