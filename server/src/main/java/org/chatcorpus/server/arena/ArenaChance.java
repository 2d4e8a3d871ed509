package org.chatcorpus.server.arena;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the Arena's chance and time come from: which two models meet in a battle, conversation
 * ids, event timestamps and the salt of user keys. A live site uses the thread's generator and the
 * wall clock. A replay (the demo's simulated visitors) uses {@link #seeded}: one generator from the
 * seed, a clock that advances a fixed step per event, and the two sides of a battle answered one
 * after the other, so the same seed logs the same events, in the same order, with the same bytes.
 */
public abstract class ArenaChance {
    abstract int nextInt(int bound);

    abstract long nextLong();

    /** Seconds since the epoch for the next event. */
    abstract double now();

    /** Whether the two sides of a battle may answer at the same time (their log order then varies). */
    abstract boolean parallelSides();

    abstract UserKeys userKeys(Path dataDir) throws IOException;

    public static ArenaChance live() {
        return Live.INSTANCE;
    }

    /** Deterministic chance for a replay; its clock starts at 2023-04-01 00:00 UTC, a day of the real collection. */
    public static ArenaChance seeded(long seed) {
        return new Seeded(seed);
    }

    private static final class Live extends ArenaChance {
        static final Live INSTANCE = new Live();

        @Override
        int nextInt(int bound) {
            return ThreadLocalRandom.current().nextInt(bound);
        }

        @Override
        long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }

        @Override
        double now() {
            return System.currentTimeMillis() / 1000.0; // FastChat rounds time.time() to 4 places; milliseconds suffice
        }

        @Override
        boolean parallelSides() {
            return true;
        }

        @Override
        UserKeys userKeys(Path dataDir) throws IOException {
            return UserKeys.loadOrCreate(dataDir);
        }
    }

    private static final class Seeded extends ArenaChance {
        private static final double START = 1_680_307_200.0; // 2023-04-01T00:00:00Z
        private static final long STEP_MILLIS = 1500;
        private final long seed;
        private final SplittableRandom random;
        private long ticks;

        Seeded(long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
        }

        @Override
        synchronized int nextInt(int bound) {
            return random.nextInt(bound);
        }

        @Override
        synchronized long nextLong() {
            return random.nextLong();
        }

        @Override
        synchronized double now() {
            return START + (ticks++ * STEP_MILLIS) / 1000.0;
        }

        @Override
        boolean parallelSides() {
            return false;
        }

        @Override
        UserKeys userKeys(Path dataDir) {
            return UserKeys.ofSalt(ByteBuffer.allocate(32).putLong(seed).putLong(~seed).putLong(seed * 31).putLong(seed ^ 0x5DEECE66DL).array());
        }
    }
}
