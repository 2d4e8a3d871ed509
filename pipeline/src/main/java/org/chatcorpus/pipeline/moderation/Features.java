package org.chatcorpus.pipeline.moderation;

import java.util.Arrays;
import java.util.Locale;

/**
 * Hashed bag of lower-cased word unigrams and bigrams (the hashing trick, 2^18 buckets), with
 * log-scaled counts and L2 normalisation. Cheap enough to run on every message of a release.
 */
final class Features {
    static final int BITS = 18;
    static final int SIZE = 1 << BITS;

    /** Sparse vector: indices and values, same length. */
    record Vector(int[] index, float[] value) {
    }

    private Features() {
    }

    static Vector of(String text) {
        String t = text.length() > 20_000 ? text.substring(0, 20_000) : text;
        t = t.toLowerCase(Locale.ROOT);
        int[] idx = new int[64];
        int n = 0;
        int prev = 0;
        int i = 0;
        int len = t.length();
        while (i < len) {
            while (i < len && !Character.isLetterOrDigit(t.charAt(i))) {
                i++;
            }
            int start = i;
            int h = 0x811c9dc5;
            while (i < len && Character.isLetterOrDigit(t.charAt(i))) {
                h = (h ^ t.charAt(i)) * 0x01000193;
                i++;
            }
            if (i == start) {
                break;
            }
            if (n + 2 > idx.length) {
                idx = Arrays.copyOf(idx, idx.length * 2);
            }
            idx[n++] = bucket(h);
            if (prev != 0) {
                idx[n++] = bucket(prev * 31 + h + 0x5bd1e995);
            }
            prev = h;
        }
        Arrays.sort(idx, 0, n);
        int[] outIdx = new int[n];
        float[] outVal = new float[n];
        int m = 0;
        for (int k = 0; k < n; ) {
            int j = k;
            while (j < n && idx[j] == idx[k]) {
                j++;
            }
            outIdx[m] = idx[k];
            outVal[m] = (float) (1 + Math.log(j - k));
            m++;
            k = j;
        }
        double norm = 0;
        for (int k = 0; k < m; k++) {
            norm += outVal[k] * outVal[k];
        }
        float inv = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int k = 0; k < m; k++) {
            outVal[k] *= inv;
        }
        return new Vector(Arrays.copyOf(outIdx, m), Arrays.copyOf(outVal, m));
    }

    private static int bucket(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h & (SIZE - 1);
    }
}
