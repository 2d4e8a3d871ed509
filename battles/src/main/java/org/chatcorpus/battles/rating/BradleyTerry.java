package org.chatcorpus.battles.rating;

import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.Winner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Bradley-Terry maximum-likelihood ratings with ties, as FastChat's rating_systems.py compute_bt
 * and compute_bootstrap_bt.
 *
 * <p>Battles are reduced to the unique (model_a, model_b, outcome) triples with counts as weights;
 * a tie (either kind) is outcome 0.5, which "naturally counts a draw as half a win and half a loss".
 * The log-likelihood uses logits {@code ln(base) * (r_a - r_b)}; ratings start at zero, and since
 * every gradient sums to zero the fit stays on {@code sum(r) = 0} (scipy's L-BFGS from zeros does
 * the same), so we solve that constrained MLE exactly with Newton's method. Ratings are reported as
 * {@code r * scale + init}, shifted so that the baseline model (mixtral-8x7b-instruct-v0.1) sits at
 * 1114 when present, as FastChat anchors its leaderboard.
 *
 * <p>The bootstrap, as compute_bootstrap_bt, draws each round's counts of the unique matchups
 * directly from Multinomial(n, weight / n) over n battles, exactly (see {@link MultinomialSampler}):
 * the distribution of the counts that resampling the battles with replacement would give, for one
 * binomial draw per matchup (~2k) instead of one uniform per battle (millions). Each round refits
 * on counts / n, starting from the full-data solution rather than zeros (fewer Newton steps, same
 * MLE); the 2.5% and 97.5% quantiles (linear interpolation, as pandas) are reported around the
 * full-data rating. Round seeds are drawn up front and rounds run in parallel, so a seed gives the
 * same intervals whatever the number of threads.
 */
public record BradleyTerry(double base, double scale, double init, String baselineModel, double baselineRating) {

    private static final int MAX_ITERATIONS = 100;

    public static BradleyTerry fastChatDefaults() {
        return new BradleyTerry(10, 400, 1000, "mixtral-8x7b-instruct-v0.1", 1114);
    }

    /** A model's rating with its bootstrap confidence interval. */
    public record Rating(double rating, double lower, double upper) {
    }

    /** Ratings in natural units (summing to zero) and the Newton steps {@link #fit} took to reach them. */
    record Fit(double[] ratings, int iterations) {
    }

    /** Battles reduced to unique (a, b, outcome) triples; models in order of first appearance. */
    record Matchups(List<String> models, int[] a, int[] b, double[] outcome, double[] weight) {
        static Matchups of(List<Battle> battles) {
            // Model order as pandas.factorize(concat(model_a, model_b)): all model_a first, then model_b.
            Map<String, Integer> index = new LinkedHashMap<>();
            for (Battle x : battles) {
                index.putIfAbsent(x.modelA(), index.size());
            }
            for (Battle x : battles) {
                index.putIfAbsent(x.modelB(), index.size());
            }
            Map<Long, Integer> category = new HashMap<>();
            List<long[]> keys = new ArrayList<>();
            for (Battle x : battles) {
                int ia = index.get(x.modelA());
                int ib = index.get(x.modelB());
                int o = (int) Math.round(x.winner().scoreA() * 2); // 2 = a wins, 1 = tie, 0 = b wins
                long key = ((long) ia << 34) | ((long) ib << 2) | o;
                Integer c = category.get(key);
                if (c == null) {
                    c = keys.size();
                    category.put(key, c);
                    keys.add(new long[] {ia, ib, o, 0});
                }
                keys.get(c)[3]++;
            }
            int n = keys.size();
            int[] a = new int[n];
            int[] b = new int[n];
            double[] outcome = new double[n];
            double[] weight = new double[n];
            for (int c = 0; c < n; c++) {
                long[] k = keys.get(c);
                a[c] = (int) k[0];
                b[c] = (int) k[1];
                outcome[c] = k[2] / 2.0;
                weight[c] = k[3];
            }
            return new Matchups(List.copyOf(index.keySet()), a, b, outcome, weight);
        }
    }

    /** The MLE ratings on all battles, on the Elo scale, by model in order of first appearance. */
    public Map<String, Double> ratings(List<Battle> battles) {
        if (battles.isEmpty()) {
            return Map.of();
        }
        Matchups m = Matchups.of(battles);
        double[] r = scaled(fit(m, m.weight()).ratings(), m.models());
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < r.length; i++) {
            out.put(m.models().get(i), r[i]);
        }
        return out;
    }

    /** Full-data ratings with bootstrap 95% intervals over {@code rounds} resamples (seeded). */
    public Map<String, Rating> ratingsWithIntervals(List<Battle> battles, int rounds, long seed) {
        return ratingsWithIntervals(battles, rounds, seed, true);
    }

    /**
     * As {@link #ratingsWithIntervals(List, int, long)}, with each refit started from the full-data
     * solution ({@code warmStart}) or from zeros. A resample's MLE lies close to the full-data one,
     * so a warm start needs fewer Newton steps; {@link #fit} stops on the gradient and step size,
     * not on a step count, so both starts reach the same MLE within its tolerance.
     */
    Map<String, Rating> ratingsWithIntervals(List<Battle> battles, int rounds, long seed, boolean warmStart) {
        if (battles.isEmpty()) {
            return Map.of();
        }
        Matchups m = Matchups.of(battles);
        double[] fullFit = fit(m, m.weight()).ratings();
        double[] refitStart = warmStart ? fullFit : new double[fullFit.length];
        double[] full = scaled(fullFit, m.models());
        int models = m.models().size();
        // Seeds are drawn up front so results do not depend on how rounds are scheduled on threads.
        SplittableRandom seeds = new SplittableRandom(seed);
        long[] roundSeeds = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            roundSeeds[i] = seeds.nextLong();
        }
        int n = battles.size();
        MultinomialSampler resample = new MultinomialSampler(m.weight());
        double[][] boot = new double[rounds][];
        IntStream.range(0, rounds).parallel().forEach(round -> {
            int[] counts = resample.sample(new SplittableRandom(roundSeeds[round]), n);
            double[] weight = new double[counts.length];
            for (int c = 0; c < counts.length; c++) {
                weight[c] = (double) counts[c] / n;
            }
            boot[round] = scaled(fit(m, weight, refitStart).ratings(), m.models());
        });
        Map<String, Rating> out = new LinkedHashMap<>();
        double[] column = new double[rounds];
        for (int j = 0; j < models; j++) {
            for (int i = 0; i < rounds; i++) {
                column[i] = boot[i][j];
            }
            Arrays.sort(column);
            out.put(m.models().get(j), new Rating(full[j], quantile(column, 0.025), quantile(column, 0.975)));
        }
        return out;
    }

    /** pandas' default quantile: linear interpolation between the closest ranks of sorted values. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private double[] scaled(double[] natural, List<String> models) {
        double[] s = new double[natural.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = natural[i] * scale + init;
        }
        int baseline = models.indexOf(baselineModel);
        if (baseline >= 0) {
            double shift = baselineRating - s[baseline];
            for (int i = 0; i < s.length; i++) {
                s[i] += shift;
            }
        }
        return s;
    }

    /** Newton's method on the weighted negative log-likelihood from zeros, constrained to sum(r) = 0. */
    Fit fit(Matchups m, double[] weight) {
        return fit(m, weight, new double[m.models().size()]);
    }

    /**
     * As {@link #fit(Matchups, double[])}, from {@code start}. The start is centred first: Newton
     * steps sum to zero, so the fit stays on the sum of its start, and the loss does not tell
     * shifts apart. The stopping rule is on the gradient and the step, so any start reaches the
     * same MLE within that tolerance.
     */
    Fit fit(Matchups m, double[] weight, double[] start) {
        int k = m.models().size();
        double alpha = Math.log(base);
        double mean = Arrays.stream(start).sum() / k;
        double[] r = new double[k];
        for (int i = 0; i < k; i++) {
            r[i] = start[i] - mean;
        }
        double previous = loss(m, weight, r, alpha);
        int steps = 0;
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            double[] g = new double[k];
            double[][] h = new double[k][k];
            for (int c = 0; c < m.a().length; c++) {
                double w = weight[c];
                if (w == 0) {
                    continue;
                }
                int a = m.a()[c];
                int b = m.b()[c];
                double p = sigmoid(alpha * (r[a] - r[b]));
                double grad = -alpha * (m.outcome()[c] - p) * w;
                g[a] += grad;
                g[b] -= grad;
                double curv = alpha * alpha * p * (1 - p) * w;
                h[a][a] += curv;
                h[b][b] += curv;
                h[a][b] -= curv;
                h[b][a] -= curv;
            }
            double gmax = 0;
            for (double x : g) {
                gmax = Math.max(gmax, Math.abs(x));
            }
            if (gmax < 1e-10) {
                break;
            }
            // H is a weighted graph Laplacian (singular along the all-ones direction); adding
            // 1*1^T/k fixes that direction without changing the step's sum, which stays 0.
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    h[i][j] += 1.0 / k;
                }
                h[i][i] += 1e-12;
            }
            double[] step = solve(h, negate(g));
            double t = 1;
            double[] next = new double[k];
            double current;
            while (true) {
                for (int i = 0; i < k; i++) {
                    next[i] = r[i] + t * step[i];
                }
                current = loss(m, weight, next, alpha);
                if (current <= previous + 1e-12 * Math.abs(previous) || t < 1e-8) {
                    break;
                }
                t /= 2;
            }
            double moved = 0;
            for (int i = 0; i < k; i++) {
                moved = Math.max(moved, Math.abs(next[i] - r[i]));
            }
            System.arraycopy(next, 0, r, 0, k);
            previous = current;
            steps++;
            if (moved < 1e-12) {
                break;
            }
        }
        return new Fit(r, steps);
    }

    private static double loss(Matchups m, double[] weight, double[] r, double alpha) {
        double l = 0;
        for (int c = 0; c < m.a().length; c++) {
            double w = weight[c];
            if (w == 0) {
                continue;
            }
            double z = alpha * (r[m.a()[c]] - r[m.b()[c]]);
            double o = m.outcome()[c];
            // log(sigmoid(z)) = -log1p(exp(-z)), computed stably for both signs.
            l += w * (o * logSigmoid(z) + (1 - o) * logSigmoid(-z));
        }
        return -l;
    }

    private static double logSigmoid(double z) {
        return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    /** Gaussian elimination with partial pivoting; the system is small (one row per model). */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) {
                    pivot = row;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            double p = m[col][col];
            if (Math.abs(p) < 1e-300) {
                continue;
            }
            for (int row = col + 1; row < n; row++) {
                double f = m[row][col] / p;
                if (f != 0) {
                    for (int j = col; j <= n; j++) {
                        m[row][j] -= f * m[col][j];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = m[i][n];
            for (int j = i + 1; j < n; j++) {
                s -= m[i][j] * x[j];
            }
            x[i] = Math.abs(m[i][i]) < 1e-300 ? 0 : s / m[i][i];
        }
        return x;
    }
}
