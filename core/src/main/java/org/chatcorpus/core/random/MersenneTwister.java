package org.chatcorpus.core.random;

/**
 * MT19937, the 32-bit Mersenne Twister of Matsumoto and Nishimura, with both of its reference
 * seedings: {@link #seedWord} ({@code init_genrand}, what NumPy's legacy {@code RandomState(int)}
 * uses) and {@link #seedWords} ({@code init_by_array}, what CPython's {@code random.seed(int)}
 * uses). The generator behind {@link PythonRandom} and {@link NumpyLegacyRandom}; not thread-safe.
 */
public final class MersenneTwister {
    private static final int N = 624;
    private static final int M = 397;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;
    private static final int MATRIX_A = 0x9908b0df;

    private final int[] mt = new int[N];
    private int index = N + 1;

    /** init_genrand(s). */
    public void seedWord(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    /** init_by_array(key): every word of the key (least significant first) shapes the state. */
    public void seedWords(int[] key) {
        seedWord(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = UPPER; // assures a non-zero initial state
        index = N;
    }

    /** genrand_uint32: the next 32 random bits, as an unsigned value in a long. */
    public long nextUint32() {
        if (index >= N) {
            if (index == N + 1) {
                seedWord(5489); // the reference default when never seeded
            }
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & UPPER) | (mt[(k + 1) % N] & LOWER);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        index = 0;
    }
}
