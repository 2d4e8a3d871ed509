package org.chatcorpus.pipeline.redact;

/**
 * The name model's features for one capitalised token, hashed into {@code 1 << bits} slots. The
 * same code serves training and tagging, so they cannot drift apart.
 */
final class Features {
    static final int COUNT = 27;

    private Features() {
    }

    static void extract(NameModel m, NameTokens t, int i, int prevTag, int[] out) {
        extract(t, i, prevTag, m.mask, h -> m.flags(h), out);
    }

    interface Flags {
        int of(long lowerHash);
    }

    static void extract(NameTokens t, int i, int prevTag, int mask, Flags lex, int[] out) {
        long w = t.lower(i);
        long shape = t.shape(i);
        int flags = lex.of(w);
        int ss = t.sentenceStart(i) ? 1 : 0;
        long wp = t.lower(i - 1);
        long wn = t.lower(i + 1);
        int flagsNext = i + 1 < t.size() ? lex.of(wn) * 2 + (t.capitalised(i + 1) ? 1 : 0) : -1;
        int flagsPrev = i > 0 ? lex.of(wp) * 2 + (t.capitalised(i - 1) ? 1 : 0) : -1;
        int len = t.length(i);
        int lenBucket = len <= 3 ? len : len <= 5 ? 4 : len <= 8 ? 5 : 6;
        int k = 0;
        out[k++] = slot(0, 0, mask);
        out[k++] = slot(1, w, mask);
        out[k++] = slot(2, shape, mask);
        out[k++] = slot(3, t.suffix(i, 3), mask);
        out[k++] = slot(4, t.suffix(i, 2), mask);
        out[k++] = slot(5, t.prefix(i, 3), mask);
        out[k++] = slot(6, lenBucket, mask);
        out[k++] = slot(7, flags, mask);
        out[k++] = slot(8, flags * 2L + ss, mask);
        out[k++] = slot(9, shape * 2 + ss, mask);
        out[k++] = slot(10, wp, mask);
        out[k++] = slot(11, t.lower(i - 2), mask);
        out[k++] = slot(12, wn, mask);
        out[k++] = slot(13, t.lower(i + 2), mask);
        out[k++] = slot(14, flagsNext, mask);
        out[k++] = slot(15, flagsPrev, mask);
        out[k++] = slot(16, prevTag, mask);
        out[k++] = slot(17, prevTag * 1024L + flags, mask);
        out[k++] = slot(18, shape * 3 + prevTag, mask);
        out[k++] = slot(19, wp * 31 + w, mask);
        out[k++] = slot(20, w * 31 + wn, mask);
        out[k++] = slot(21, t.shape(i + 1), mask);
        out[k++] = slot(22, t.shape(i - 1), mask);
        out[k++] = slot(23, wn * 2 + ss, mask);
        out[k++] = slot(24, wp * 1024 + flags, mask);
        out[k++] = slot(25, wn * 1024 + flags, mask);
        out[k++] = slot(26, (flags * 2L + ss) * 256 + flagsNext, mask);
    }

    /** Mixes a template id and a value into a slot (SplitMix64 finaliser). */
    static int slot(int template, long value, int mask) {
        long z = value * 0x9E3779B97F4A7C15L + template * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) z & mask;
    }
}
