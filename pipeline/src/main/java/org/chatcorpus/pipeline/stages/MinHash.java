package org.chatcorpus.pipeline.stages;

import java.util.Arrays;
import java.util.Random;

/**
 * MinHash signatures of texts, with the settings curate's near-duplicate stage uses, so every tool
 * that speaks of "near-duplicates" (curate, compare) means the same thing: the text cut to 4,000
 * characters, lower-cased, split into words (letter/digit runs; each CJK ideograph or kana is a
 * word), shingled into word 3-grams, 64 hash values, 16 bands of 4 for LSH candidates, similarity
 * estimated as the share of equal values.
 */
public final class MinHash {
    public static final int HASHES = 64;
    public static final int BANDS = 16;
    public static final int ROWS = HASHES / BANDS;
    static final int MAX_CHARS = 4000;

    private final long[][] perm;

    /** The hash family drawn from {@code seed} (curate uses its run seed). */
    public MinHash(long seed) {
        this.perm = permutations(seed);
    }

    /** The signature of {@code text}: {@link #HASHES} values. */
    public int[] signature(String text) {
        int[] out = new int[HASHES];
        signature(text, out, 0);
        return out;
    }

    /** Writes the signature of {@code text} into {@code out[at .. at + HASHES)}. */
    public void signature(String text, int[] out, int at) {
        Arrays.fill(out, at, at + HASHES, Integer.MAX_VALUE);
        long[] words = words(text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text);
        int shingles = Math.max(1, words.length - 2);
        for (int s = 0; s < shingles; s++) {
            long h = 0x9E3779B97F4A7C15L;
            for (int k = s; k < Math.min(words.length, s + 3); k++) {
                h = mix(h ^ words[k]);
            }
            for (int i = 0; i < HASHES; i++) {
                int v = (int) ((perm[i][0] * h + perm[i][1]) >>> 33);
                if (v < out[at + i]) {
                    out[at + i] = v;
                }
            }
        }
    }

    /** The LSH bucket key of one band of the signature stored at {@code sigs[i * HASHES ..]}. */
    public static long bandKey(int[] sigs, int i, int band) {
        long h = band;
        for (int r = 0; r < ROWS; r++) {
            h = mix(h * 31 + sigs[i * HASHES + band * ROWS + r]);
        }
        return h;
    }

    /** Estimated Jaccard similarity of the signatures at {@code a[i * HASHES ..]} and {@code b[j * HASHES ..]}. */
    public static double similarity(int[] a, int i, int[] b, int j) {
        int same = 0;
        for (int k = 0; k < HASHES; k++) {
            if (a[i * HASHES + k] == b[j * HASHES + k]) {
                same++;
            }
        }
        return same / (double) HASHES;
    }

    /** 64 (multiplier, addend) pairs for universal hashing of 64-bit shingle hashes, from the seed. */
    private static long[][] permutations(long seed) {
        Random r = new Random(seed ^ 0x6d696e68617368L);
        long[][] p = new long[HASHES][2];
        for (long[] x : p) {
            x[0] = r.nextLong() | 1;
            x[1] = r.nextLong();
        }
        return p;
    }

    /** Hashes of the words: runs of letters or digits, lower-cased; every CJK ideograph or kana is a word of its own. */
    static long[] words(String text) {
        long[] out = new long[16];
        int n = 0;
        long h = 0;
        boolean in = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean cjk = Character.isIdeographic(cp) || Character.UnicodeScript.of(cp) == Character.UnicodeScript.HIRAGANA
                    || Character.UnicodeScript.of(cp) == Character.UnicodeScript.KATAKANA;
            boolean letter = Character.isLetterOrDigit(cp);
            if (in && (!letter || cjk)) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = h;
                in = false;
            }
            if (cjk) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = mix(cp);
            } else if (letter) {
                h = in ? h * 31 + Character.toLowerCase(cp) : 1125899906842597L + Character.toLowerCase(cp);
                in = true;
            }
        }
        if (in) {
            out = n == out.length ? Arrays.copyOf(out, n + 1) : out;
            out[n++] = h;
        }
        return Arrays.copyOf(out, n);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
