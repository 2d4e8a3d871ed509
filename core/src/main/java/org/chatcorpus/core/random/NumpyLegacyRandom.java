package org.chatcorpus.core.random;

/**
 * NumPy's legacy {@code np.random.RandomState(int)}, for the one call FastChat's 2024
 * deduplication.py makes through pandas: {@code df.sample(n, random_state=42)}, which is
 * {@code RandomState(42).permutation(len(df))[:n]}. Seeding is init_genrand of the int (not
 * CPython's init_by_array); {@code permutation} shuffles {@code arange(len)} from the end with
 * {@code random_interval}: draws masked to the smallest all-ones mask covering the bound, redrawn
 * while above it. Not thread-safe.
 */
public final class NumpyLegacyRandom {
    private final MersenneTwister mt = new MersenneTwister();

    public NumpyLegacyRandom(int seed) {
        mt.seedWord(seed);
    }

    /** random_interval(max): uniform in [0, max], for max below 2^32. */
    public long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long v;
        while ((v = (mt.nextUint32() & mask)) > max) {
            // redraw
        }
        return v;
    }

    /** {@code permutation(n)}: arange(n) shuffled, i from n-1 down to 1 swapped with interval(i). */
    public int[] permutation(int n) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            int j = (int) interval(i);
            int t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
        return x;
    }
}
