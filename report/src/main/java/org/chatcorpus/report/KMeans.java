package org.chatcorpus.report;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seeded k-means (Lloyd's algorithm, squared Euclidean distance) with greedy k-means++
 * initialisation, as scikit-learn's KMeans with {@code n_init=1}. Runs on all cores yet is
 * deterministic per seed: points are assigned independently, and every sum is taken over fixed
 * chunks that are added up in order. Stops when no assignment changes, when the centres move less
 * than {@code tol}, or after {@code maxIterations}. An emptied cluster takes the point farthest
 * from its centre.
 */
public final class KMeans {
    private static final int CHUNK = 2048;

    public record Result(float[][] centres, int[] assignments, int iterations, double inertia) {
    }

    private KMeans() {
    }

    public static Result fit(float[][] x, int k, long seed, int maxIterations, double tol) {
        int n = x.length;
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in 1.." + n + ", got " + k);
        }
        int d = x[0].length;
        float[][] centres = init(x, k, new SplittableRandom(seed));
        int[] assign = new int[n];
        java.util.Arrays.fill(assign, -1);
        double[] dist = new double[n];
        int iterations = 0;
        for (int it = 0; it < maxIterations; it++) {
            iterations = it + 1;
            float[][] c = centres;
            int[] changed = new int[chunks(n)];
            IntStream.range(0, chunks(n)).parallel().forEach(ch -> {
                for (int i = ch * CHUNK; i < Math.min(n, (ch + 1) * CHUNK); i++) {
                    int best = 0;
                    double bestD = Double.MAX_VALUE;
                    for (int j = 0; j < k; j++) {
                        double dd = sq(x[i], c[j]);
                        if (dd < bestD) {
                            bestD = dd;
                            best = j;
                        }
                    }
                    if (assign[i] != best) {
                        changed[ch]++;
                        assign[i] = best;
                    }
                    dist[i] = bestD;
                }
            });
            int moved = 0;
            for (int v : changed) {
                moved += v;
            }
            if (moved == 0) {
                break;
            }
            float[][] next = means(x, assign, k, d);
            fixEmpty(x, next, assign, dist);
            double shift = 0;
            for (int j = 0; j < k; j++) {
                shift += sq(next[j], centres[j]);
            }
            centres = next;
            if (shift <= tol) {
                break;
            }
        }
        // Final assignment against the final centres.
        float[][] c = centres;
        IntStream.range(0, n).parallel().forEach(i -> {
            int best = 0;
            double bestD = Double.MAX_VALUE;
            for (int j = 0; j < k; j++) {
                double dd = sq(x[i], c[j]);
                if (dd < bestD) {
                    bestD = dd;
                    best = j;
                }
            }
            assign[i] = best;
            dist[i] = bestD;
        });
        double inertia = 0;
        for (double v : dist) {
            inertia += v;
        }
        return new Result(centres, assign, iterations, inertia);
    }

    private static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    private static float[][] means(float[][] x, int[] assign, int k, int d) {
        int n = x.length;
        double[][][] partial = new double[chunks(n)][][];
        long[][] counts = new long[chunks(n)][];
        IntStream.range(0, chunks(n)).parallel().forEach(ch -> {
            double[][] s = new double[k][d];
            long[] cnt = new long[k];
            for (int i = ch * CHUNK; i < Math.min(n, (ch + 1) * CHUNK); i++) {
                double[] row = s[assign[i]];
                float[] xi = x[i];
                for (int t = 0; t < d; t++) {
                    row[t] += xi[t];
                }
                cnt[assign[i]]++;
            }
            partial[ch] = s;
            counts[ch] = cnt;
        });
        double[][] sum = new double[k][d];
        long[] cnt = new long[k];
        for (int ch = 0; ch < partial.length; ch++) {
            for (int j = 0; j < k; j++) {
                cnt[j] += counts[ch][j];
                for (int t = 0; t < d; t++) {
                    sum[j][t] += partial[ch][j][t];
                }
            }
        }
        float[][] out = new float[k][];
        for (int j = 0; j < k; j++) {
            if (cnt[j] == 0) {
                out[j] = null;
                continue;
            }
            out[j] = new float[d];
            for (int t = 0; t < d; t++) {
                out[j][t] = (float) (sum[j][t] / cnt[j]);
            }
        }
        return out;
    }

    private static void fixEmpty(float[][] x, float[][] centres, int[] assign, double[] dist) {
        for (int j = 0; j < centres.length; j++) {
            if (centres[j] != null) {
                continue;
            }
            int far = 0;
            for (int i = 1; i < x.length; i++) {
                if (dist[i] > dist[far]) {
                    far = i;
                }
            }
            centres[j] = x[far].clone();
            dist[far] = 0;
            assign[far] = j;
        }
    }

    /** Greedy k-means++: each new centre is the best of 2 + ln(k) D²-weighted candidates. */
    static float[][] init(float[][] x, int k, SplittableRandom rnd) {
        int n = x.length;
        int trials = 2 + (int) Math.log(k);
        float[][] centres = new float[k][];
        centres[0] = x[rnd.nextInt(n)].clone();
        double[] closest = new double[n];
        float[] c0 = centres[0];
        IntStream.range(0, n).parallel().forEach(i -> closest[i] = sq(x[i], c0));
        double pot = orderedSum(closest);
        for (int c = 1; c < k; c++) {
            int bestCand = -1;
            double bestPot = Double.MAX_VALUE;
            double[] bestClosest = null;
            for (int t = 0; t < trials; t++) {
                int cand = pickWeighted(closest, pot, rnd.nextDouble());
                float[] cv = x[cand];
                double[] next = new double[n];
                IntStream.range(0, n).parallel().forEach(i -> next[i] = Math.min(closest[i], sq(x[i], cv)));
                double p = orderedSum(next);
                if (p < bestPot) {
                    bestPot = p;
                    bestCand = cand;
                    bestClosest = next;
                }
            }
            centres[c] = x[bestCand].clone();
            System.arraycopy(bestClosest, 0, closest, 0, n);
            pot = bestPot;
        }
        return centres;
    }

    private static int pickWeighted(double[] w, double total, double u) {
        if (total <= 0) {
            return (int) Math.min(w.length - 1, (long) (u * w.length));
        }
        double target = u * total;
        double cum = 0;
        for (int i = 0; i < w.length; i++) {
            cum += w[i];
            if (cum >= target && w[i] > 0) {
                return i;
            }
        }
        for (int i = w.length - 1; i >= 0; i--) {
            if (w[i] > 0) {
                return i;
            }
        }
        return w.length - 1;
    }

    private static double orderedSum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    static double sq(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }
}
