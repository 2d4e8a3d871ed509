package org.chatcorpus.battles.rating;

import java.util.random.RandomGenerator;

/**
 * Exact Multinomial(n, w / sum(w)) counts over fixed category weights w, as NumPy's
 * {@code Generator.multinomial}: one conditional binomial per category,
 * count_k ~ Binomial(n - (counts so far), w_k / (w_k + ... + w_last)). The cost is one binomial
 * draw per category whatever n is, instead of one uniform per trial when resampling trial by trial.
 *
 * <p>The last category with positive weight gets probability exactly 1, so the counts always sum
 * to n. With integer weights (counts of unique matchups) the remaining sums are exact in a double.
 */
final class MultinomialSampler {
    private final double[] weights;
    /** remaining[k] = weights[k] + ... + weights[last]: the mass not yet assigned at category k. */
    private final double[] remaining;

    MultinomialSampler(double[] weights) {
        this.weights = weights.clone();
        this.remaining = new double[weights.length];
        double sum = 0;
        for (int k = weights.length - 1; k >= 0; k--) {
            double w = weights[k];
            if (!(w >= 0 && w < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("multinomial weight " + k + " must be finite and >= 0, got " + w);
            }
            sum += w;
            remaining[k] = sum;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("multinomial weights must have a positive sum, got " + weights.length
                    + " weights summing to " + sum);
        }
    }

    /** Counts per category of {@code n} draws; they sum to exactly {@code n}. */
    int[] sample(RandomGenerator rnd, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("multinomial trials must be >= 0, got " + n);
        }
        int[] counts = new int[weights.length];
        int left = n;
        for (int k = 0; k < weights.length && left > 0; k++) {
            double p = weights[k] >= remaining[k] ? 1 : weights[k] / remaining[k];
            counts[k] = BinomialSampler.sample(rnd, left, p);
            left -= counts[k];
        }
        return counts;
    }
}
