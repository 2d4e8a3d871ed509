package org.chatcorpus.core.random;

import java.math.BigInteger;
import java.util.List;

/**
 * CPython's {@code random} module, for the calls FastChat's release scripts make:
 * {@code random.seed(int)}, {@code getrandbits}, {@code _randbelow} and {@code shuffle}.
 * lmsys_chat_1m/filter_bad_conv.py samples with {@code random.seed(42); random.shuffle(convs);
 * convs[:n]}; to take the same conversations in the same order from the same input order, every
 * step here follows CPython (Modules/_randommodule.c and Lib/random.py, 3.2 and later).
 * Not thread-safe.
 */
public final class PythonRandom {
    private final MersenneTwister mt = new MersenneTwister();

    /** {@code random.seed(seed)} for an int: init_by_array over the 32-bit words of |seed|, least significant first. */
    public PythonRandom(BigInteger seed) {
        BigInteger n = seed.abs();
        int words = Math.max(1, (n.bitLength() + 31) / 32);
        int[] key = new int[words];
        for (int i = 0; i < words; i++) {
            key[i] = n.shiftRight(32 * i).intValue();
        }
        mt.seedWords(key);
    }

    public PythonRandom(long seed) {
        this(BigInteger.valueOf(seed));
    }

    /**
     * {@code getrandbits(k)} for {@code 0 <= k <= 63}: one 32-bit output for k up to 32 (its top k bits); above
     * that, 32-bit words least significant first, the last one cut to its top bits.
     */
    public long getrandbits(int k) {
        if (k < 0 || k > 63) {
            throw new IllegalArgumentException("k must be in [0, 63], got " + k);
        }
        if (k == 0) {
            return 0;
        }
        if (k <= 32) {
            return mt.nextUint32() >>> (32 - k);
        }
        long low = mt.nextUint32();
        long high = mt.nextUint32() >>> (64 - k);
        return low | (high << 32);
    }

    /** {@code _randbelow(n)} (the getrandbits variant): k = n.bit_length() bits, drawn again while the value is n or more. */
    public long randbelow(long n) {
        if (n <= 0) {
            return 0;
        }
        int k = 64 - Long.numberOfLeadingZeros(n);
        long r = getrandbits(k);
        while (r >= n) {
            r = getrandbits(k);
        }
        return r;
    }

    /** {@code shuffle(x)}: Fisher-Yates from the end, i from len-1 down to 1, swapping x[i] with x[randbelow(i + 1)]. */
    public void shuffle(int[] x) {
        for (int i = x.length - 1; i >= 1; i--) {
            int j = (int) randbelow(i + 1L);
            int t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }

    /** As {@link #shuffle(int[])} for a list. */
    public <T> void shuffle(List<T> x) {
        for (int i = x.size() - 1; i >= 1; i--) {
            int j = (int) randbelow(i + 1L);
            x.set(i, x.set(j, x.get(i)));
        }
    }

    /** The permutation {@code random.seed(seed); random.shuffle(list(range(n)))} leaves. */
    public static int[] shuffledIndices(long seed, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        new PythonRandom(seed).shuffle(order);
        return order;
    }
}
