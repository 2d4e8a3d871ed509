package org.chatcorpus.pipeline.moderation;

import java.util.Arrays;

/**
 * The character 3- to 5-grams of a message's words, hashed into {@value #BUCKETS} buckets, as
 * sublinear term frequencies ({@code 1 + ln count}). Words are runs of letters, digits and
 * apostrophes, lower-cased and joined by one space, with a space before the first and after the
 * last, so "Kill  YOU!" and "kill you" give the same grams and " ki" marks a word's start.
 *
 * <p>Why character grams beside the sentence vector: a static sentence vector is a mean, so one
 * slur or one graphic word in a long message is diluted, and misspellings ("k1ll", "fck") map to
 * unrelated word pieces; grams keep both. Measured on the 5 folds of OpenAI's samples (static
 * MiniLM, F0.7 threshold): an RBF kernel on the sentence vector alone 0.68, with a TF-IDF kernel on
 * these grams added 0.70, on word unigrams and bigrams instead 0.69.
 */
final class CharNgrams {
    static final int BUCKETS = 1 << 20;
    static final int MIN = 3;
    static final int MAX = 5;

    private CharNgrams() {
    }

    /** A sparse vector: bucket indexes in increasing order and one value each. */
    record Sparse(int[] index, float[] value) {
        static final Sparse EMPTY = new Sparse(new int[0], new float[0]);
    }

    /** The grams' sublinear term frequencies. */
    static Sparse termFrequencies(String text) {
        char[] s = normalise(text);
        int grams = 0;
        int[] hashes = new int[Math.max(0, (MAX - MIN + 1) * s.length)];
        for (int start = 0; start + MIN <= s.length; start++) {
            int h = 0x9747b28c;
            for (int n = 1; n <= MAX && start + n <= s.length; n++) {
                h = h * 31 + s[start + n - 1];
                if (n >= MIN) {
                    hashes[grams++] = bucket(h * 0x01000193 + n);
                }
            }
        }
        if (grams == 0) {
            return Sparse.EMPTY;
        }
        Arrays.sort(hashes, 0, grams);
        int distinct = 1;
        for (int i = 1; i < grams; i++) {
            distinct += hashes[i] != hashes[i - 1] ? 1 : 0;
        }
        int[] index = new int[distinct];
        float[] value = new float[distinct];
        int k = -1;
        int run = 0;
        for (int i = 0; i < grams; i++) {
            if (i == 0 || hashes[i] != hashes[i - 1]) {
                if (k >= 0) {
                    value[k] = (float) (1 + Math.log(run));
                }
                index[++k] = hashes[i];
                run = 0;
            }
            run++;
        }
        value[k] = (float) (1 + Math.log(run));
        return new Sparse(index, value);
    }

    /** MurmurHash3's finaliser, so neighbouring grams land far apart. */
    private static int bucket(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & (BUCKETS - 1);
    }

    static char[] normalise(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append(' ');
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp) || cp == '\'') {
                out.appendCodePoint(Character.toLowerCase(cp));
                inWord = true;
            } else if (inWord) {
                out.append(' ');
                inWord = false;
            }
        }
        if (inWord) {
            out.append(' ');
        }
        char[] chars = new char[out.length()];
        out.getChars(0, out.length(), chars, 0);
        return chars;
    }

    /**
     * Inverse document frequencies learned from training texts, {@code ln((1 + N) / (1 + df))}, and
     * the TF-IDF vectors they give, scaled to unit length.
     */
    static final class Idf {
        private final int documents;
        private final int[] df; // dense: BUCKETS counts
        private final float[] idf;

        Idf(int documents, int[] df) {
            this.documents = documents;
            this.df = df;
            this.idf = new float[BUCKETS];
            for (int b = 0; b < BUCKETS; b++) {
                idf[b] = (float) Math.log((1.0 + documents) / (1.0 + df[b]));
            }
        }

        static Idf of(Sparse[] tf, Iterable<Integer> rows) {
            int[] df = new int[BUCKETS];
            int n = 0;
            for (int i : rows) {
                for (int b : tf[i].index()) {
                    df[b]++;
                }
                n++;
            }
            return new Idf(n, df);
        }

        Sparse weigh(Sparse tf) {
            float[] v = new float[tf.value().length];
            double norm = 0;
            for (int k = 0; k < v.length; k++) {
                v[k] = tf.value()[k] * idf[tf.index()[k]];
                norm += v[k] * (double) v[k];
            }
            if (norm > 0) {
                float inv = (float) (1 / Math.sqrt(norm));
                for (int k = 0; k < v.length; k++) {
                    v[k] *= inv;
                }
            }
            return new Sparse(tf.index(), v);
        }

        /** The number of training texts, then (bucket, count) for every bucket seen. */
        void write(java.io.DataOutput out) throws java.io.IOException {
            out.writeInt(documents);
            int seen = 0;
            for (int c : df) {
                seen += c > 0 ? 1 : 0;
            }
            out.writeInt(seen);
            for (int b = 0; b < BUCKETS; b++) {
                if (df[b] > 0) {
                    out.writeInt(b);
                    out.writeInt(df[b]);
                }
            }
        }

        static Idf read(java.io.DataInput in) throws java.io.IOException {
            int documents = in.readInt();
            int seen = in.readInt();
            int[] df = new int[BUCKETS];
            for (int k = 0; k < seen; k++) {
                int b = in.readInt();
                df[b] = in.readInt();
            }
            return new Idf(documents, df);
        }
    }
}
