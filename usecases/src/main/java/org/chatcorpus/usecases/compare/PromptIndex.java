package org.chatcorpus.usecases.compare;

import java.util.Arrays;
import org.chatcorpus.pipeline.stages.MinHash;

/**
 * Corpus A's first user prompts, indexed to answer for each of B's: is the same prompt in A
 * (exact, after {@link org.chatcorpus.core.text.PromptKey} normalization), and is a near-duplicate
 * in A (curate's {@link MinHash} settings: a shared LSH band, then estimated Jaccard at least the
 * threshold)? Memory per A conversation: 8 bytes of exact hash, 256 of signature, 128 of band keys.
 *
 * <p>Each band is one sorted {@code long[]} holding the band key's high bits with A's index in the
 * low bits: truncating the key can only add candidates, and every candidate is verified on its
 * signature, so answers are the same as with full keys.
 */
final class PromptIndex {
    /** The A conversation a B prompt matched, and how closely. */
    record Match(int index, double similarity) {
    }

    private final long[] exact;
    private final int[] signatures;
    private final long[][] bands;
    private final int indexBits;
    private final long indexMask;
    private final MinHash minHash;
    private final double threshold;

    /**
     * @param hashes     A's normalized first-prompt hashes (any order)
     * @param signatures A's MinHash signatures, {@link MinHash#HASHES} per conversation, in the order of {@code count}
     */
    PromptIndex(long[] hashes, int[] signatures, int count, MinHash minHash, double threshold) {
        this.exact = Arrays.copyOf(hashes, count);
        Arrays.sort(exact);
        this.signatures = signatures;
        this.minHash = minHash;
        this.threshold = threshold;
        this.indexBits = Math.max(1, 64 - Long.numberOfLeadingZeros(Math.max(1, count)));
        this.indexMask = (1L << indexBits) - 1;
        this.bands = new long[MinHash.BANDS][];
        for (int b = 0; b < MinHash.BANDS; b++) {
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = (MinHash.bandKey(signatures, i, b) & ~indexMask) | i;
            }
            Arrays.sort(keys);
            bands[b] = keys;
        }
    }

    boolean containsExact(long hash) {
        return Arrays.binarySearch(exact, hash) >= 0;
    }

    /** The first A prompt (by band, then index) at least {@code threshold} similar to {@code prompt}, or null. */
    Match nearest(String prompt) {
        int[] sig = minHash.signature(prompt);
        int[] one = new int[MinHash.HASHES];
        Match best = null;
        for (int b = 0; b < MinHash.BANDS; b++) {
            System.arraycopy(sig, 0, one, 0, MinHash.HASHES);
            long prefix = MinHash.bandKey(one, 0, b) & ~indexMask;
            long[] keys = bands[b];
            int at = lowerBound(keys, prefix);
            for (int i = at; i < keys.length && (keys[i] & ~indexMask) == prefix; i++) {
                int a = (int) (keys[i] & indexMask);
                double s = MinHash.similarity(sig, 0, signatures, a);
                if (s >= threshold && (best == null || s > best.similarity() || (s == best.similarity() && a < best.index()))) {
                    best = new Match(a, s);
                }
            }
        }
        return best;
    }

    /** The first position whose value is at least {@code v} (as signed longs, the array's order). */
    private static int lowerBound(long[] a, long v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
