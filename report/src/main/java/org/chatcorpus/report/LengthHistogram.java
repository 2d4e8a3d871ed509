package org.chatcorpus.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded, mergeable histogram of non-negative lengths (tokens per message). Values below
 * 65,536 are counted exactly, so the mean, median, p90 and p99 are exact there; larger values fall
 * into log bins of a quarter octave. Memory is constant whatever the input size. Not thread-safe:
 * each worker keeps its own and they are merged.
 */
public final class LengthHistogram {
    static final int EXACT = 1 << 16;
    private static final int SUB = 4;
    private final long[] exact = new long[EXACT];
    private final long[] overflow = new long[64 * SUB];
    private long count;
    private double sum;
    private long max;

    public void add(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative length " + v);
        }
        count++;
        sum += v;
        max = Math.max(max, v);
        if (v < EXACT) {
            exact[(int) v]++;
        } else {
            overflow[overflowIndex(v)]++;
        }
    }

    private static int overflowIndex(long v) {
        int octave = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) ((v - (1L << octave)) / Math.max(1, (1L << octave) / SUB));
        return octave * SUB + Math.min(SUB - 1, sub);
    }

    private static long overflowLo(int index) {
        int octave = index / SUB;
        return (1L << octave) + (index % SUB) * ((1L << octave) / SUB);
    }

    public void merge(LengthHistogram o) {
        for (int i = 0; i < EXACT; i++) {
            exact[i] += o.exact[i];
        }
        for (int i = 0; i < overflow.length; i++) {
            overflow[i] += o.overflow[i];
        }
        count += o.count;
        sum += o.sum;
        max = Math.max(max, o.max);
    }

    public long count() {
        return count;
    }

    public long max() {
        return max;
    }

    public double mean() {
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The nearest-rank quantile: the smallest value v with at least {@code q * count} values
     * {@code <= v} (exact below 65,536, a bin's lower edge above).
     */
    public long quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long cum = 0;
        for (int i = 0; i < EXACT; i++) {
            cum += exact[i];
            if (cum >= rank) {
                return i;
            }
        }
        for (int i = 0; i < overflow.length; i++) {
            cum += overflow[i];
            if (cum >= rank) {
                return overflowLo(i);
            }
        }
        return max;
    }

    /**
     * Log-spaced bins [lo, hi) from the first to the last non-empty one: [0, 2) (zero and one
     * together), then single values up to 8, then four bins per octave.
     */
    public List<SvgChart.Bin> logBins() {
        List<long[]> edges = new ArrayList<>();
        edges.add(new long[] {0, 2});
        for (long v = 2; v < 8; v++) {
            edges.add(new long[] {v, v + 1});
        }
        for (int octave = 3; octave < 63; octave++) {
            long base = 1L << octave;
            if (base > Math.max(max, 8)) {
                break;
            }
            for (int s = 0; s < SUB; s++) {
                edges.add(new long[] {base + s * (base / SUB), base + (s + 1) * (base / SUB)});
            }
        }
        List<SvgChart.Bin> bins = new ArrayList<>();
        for (long[] e : edges) {
            bins.add(new SvgChart.Bin(e[0], e[1], countIn(e[0], e[1])));
        }
        int first = 0;
        while (first < bins.size() && bins.get(first).count() == 0) {
            first++;
        }
        int last = bins.size() - 1;
        while (last >= first && bins.get(last).count() == 0) {
            last--;
        }
        return first > last ? List.of() : List.copyOf(bins.subList(first, last + 1));
    }

    private long countIn(long lo, long hi) {
        long c = 0;
        for (long v = lo; v < Math.min(hi, EXACT); v++) {
            c += exact[(int) v];
        }
        if (hi > EXACT) {
            for (int i = 0; i < overflow.length; i++) {
                long l = overflowLo(i);
                if (overflow[i] > 0 && l >= lo && l < hi) {
                    c += overflow[i];
                }
            }
        }
        return c;
    }
}
