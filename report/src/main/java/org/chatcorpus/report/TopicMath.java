package org.chatcorpus.report;

/** The 2-D map (PCA) and the silhouette score of a clustering, both deterministic. */
public final class TopicMath {
    private TopicMath() {
    }

    /**
     * Projects the rows onto their first two principal components (power iteration with
     * deflation from a fixed start vector; signs fixed so the largest loading is positive).
     */
    public static double[][] pca2(float[][] x) {
        int n = x.length;
        double[][] out = new double[n][2];
        if (n == 0) {
            return out;
        }
        int d = x[0].length;
        double[] mean = new double[d];
        for (float[] r : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] comps = new double[2][];
        for (int c = 0; c < 2; c++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = 1.0 + 0.01 * ((j * 7919) % 101);
            }
            normalise(v);
            for (int it = 0; it < 150; it++) {
                double[] next = new double[d];
                for (float[] r : x) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += (r[j] - mean[j]) * v[j];
                    }
                    for (int j = 0; j < d; j++) {
                        next[j] += dot * (r[j] - mean[j]);
                    }
                }
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += next[j] * comps[p][j];
                    }
                    for (int j = 0; j < d; j++) {
                        next[j] -= dot * comps[p][j];
                    }
                }
                if (normalise(next) == 0) {
                    break;
                }
                v = next;
            }
            int big = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(v[j]) > Math.abs(v[big])) {
                    big = j;
                }
            }
            if (v[big] < 0) {
                for (int j = 0; j < d; j++) {
                    v[j] = -v[j];
                }
            }
            comps[c] = v;
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (x[i][j] - mean[j]) * comps[c][j];
                }
                out[i][c] = s;
            }
        }
        return out;
    }

    private static double normalise(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        s = Math.sqrt(s);
        if (s > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= s;
            }
        }
        return s;
    }

    /**
     * The mean silhouette (Euclidean) of the given rows and labels, as scikit-learn's
     * silhouette_score; points alone in their cluster score 0. NaN with fewer than 2 clusters.
     */
    public static double silhouette(float[][] x, int[] labels, int k) {
        int n = x.length;
        long[] size = new long[k];
        for (int l : labels) {
            size[l]++;
        }
        int used = 0;
        for (long s : size) {
            used += s > 0 ? 1 : 0;
        }
        if (used < 2) {
            return Double.NaN;
        }
        double[] score = new double[n];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            double[] sum = new double[k];
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    sum[labels[j]] += Math.sqrt(KMeans.sq(x[i], x[j]));
                }
            }
            int own = labels[i];
            if (size[own] <= 1) {
                score[i] = 0;
                return;
            }
            double a = sum[own] / (size[own] - 1);
            double b = Double.MAX_VALUE;
            for (int c = 0; c < k; c++) {
                if (c != own && size[c] > 0) {
                    b = Math.min(b, sum[c] / size[c]);
                }
            }
            score[i] = (b - a) / Math.max(a, b);
        });
        double s = 0;
        for (double v : score) {
            s += v;
        }
        return s / n;
    }
}
