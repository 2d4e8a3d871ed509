package org.chatcorpus.battles.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fixed seeds throughout; statistical bounds are 5 standard errors, from each count's Binomial(n, p)
 * marginal for means and variances and from the sample itself for covariances.
 */
class MultinomialSamplerTest {

    @Test
    void countsSumToExactlyTheTrials() {
        double[] weights = {3, 0, 1, 7, 0.5, 0};
        MultinomialSampler sampler = new MultinomialSampler(weights);
        SplittableRandom rnd = new SplittableRandom(1);
        for (int n : new int[] {0, 1, 2, 17, 1000, 1_000_000, Integer.MAX_VALUE}) {
            for (int i = 0; i < 200; i++) {
                int[] counts = sampler.sample(rnd, n);
                assertThat(Arrays.stream(counts).asLongStream().sum()).as("n = %d", n).isEqualTo(n);
            }
        }
    }

    @Test
    void noTrialsGiveAllZeroCounts() {
        assertThat(new MultinomialSampler(new double[] {1, 2, 3}).sample(new SplittableRandom(2), 0)).containsExactly(0, 0, 0);
    }

    @Test
    void zeroWeightCategoriesGetNothing() {
        MultinomialSampler sampler = new MultinomialSampler(new double[] {0, 5, 0, 5, 0});
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            int[] counts = sampler.sample(rnd, 1000);
            assertThat(counts[0] + counts[2] + counts[4]).isZero();
        }
    }

    @Test
    void aSingleCategoryTakesEveryTrial() {
        MultinomialSampler sampler = new MultinomialSampler(new double[] {42});
        assertThat(sampler.sample(new SplittableRandom(4), 1_000_000)).containsExactly(1_000_000);
        assertThat(sampler.sample(new SplittableRandom(4), 1)).containsExactly(1);
    }

    @Test
    void oneTrialLandsInEachCategoryWithItsProbability() {
        assertMarginalsMatch(new double[] {1, 2, 7}, 1, 100_000, 5);
    }

    @Test
    void millionsOfTrialsWithTinyAndDominantProbabilitiesHaveMultinomialMoments() {
        // p ≈ 0.999, 9e-4, 9.9e-5, 1e-6 and 1e-7 (mean 0.1 per draw) with one million trials.
        assertMarginalsMatch(new double[] {9_990_000, 9_000, 990, 10, 1}, 1_000_000, 20_000, 6);
    }

    @Test
    void manyMatchupsLikeTheBootstrapHaveMultinomialMoments() {
        SplittableRandom weights = new SplittableRandom(7);
        double[] w = new double[2000];
        for (int k = 0; k < w.length; k++) {
            w[k] = 1 + weights.nextInt(1000); // counts of ~2k unique matchups, as in 1M arena battles
        }
        assertMarginalsMatch(w, 1_000_000, 2_000, 8);
    }

    @Test
    void countsOfTwoCategoriesAreNegativelyCorrelatedAsAMultinomial() {
        double[] w = {2, 3, 5};
        int n = 100;
        int draws = 100_000;
        MultinomialSampler sampler = new MultinomialSampler(w);
        SplittableRandom rnd = new SplittableRandom(9);
        // Cov(count_i, count_j) = -n·p_i·p_j; checked for the pair whose conditional draws are chained.
        double[] products = new double[draws];
        double mean0 = n * 0.2;
        double mean2 = n * 0.5;
        for (int i = 0; i < draws; i++) {
            int[] c = sampler.sample(rnd, n);
            products[i] = (c[0] - mean0) * (c[2] - mean2);
        }
        double covariance = Arrays.stream(products).average().orElseThrow();
        double spread = Math.sqrt(Arrays.stream(products).map(x -> (x - covariance) * (x - covariance)).sum() / (draws - 1));
        assertThat(covariance).isCloseTo(-n * 0.2 * 0.5, within(5 * spread / Math.sqrt(draws)));
    }

    @Test
    void sameSeedGivesTheSameCounts() {
        MultinomialSampler sampler = new MultinomialSampler(new double[] {5, 1, 1, 3});
        assertThat(sampler.sample(new SplittableRandom(10), 12345)).containsExactly(sampler.sample(new SplittableRandom(10), 12345));
    }

    @Test
    void rejectsWeightsThatAreNotADistribution() {
        assertThatThrownBy(() -> new MultinomialSampler(new double[] {1, -1})).hasMessageContaining("weight 1 must be finite and >= 0");
        assertThatThrownBy(() -> new MultinomialSampler(new double[] {Double.NaN})).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> new MultinomialSampler(new double[] {0, 0})).hasMessageContaining("positive sum");
        assertThatThrownBy(() -> new MultinomialSampler(new double[] {})).hasMessageContaining("positive sum");
        assertThatThrownBy(() -> new MultinomialSampler(new double[] {1}).sample(new SplittableRandom(1), -1))
                .hasMessageContaining("trials must be >= 0");
    }

    /** Each category's count over {@code draws} samples: mean n·p and variance n·p·(1-p) within 5 SE. */
    private static void assertMarginalsMatch(double[] w, int n, int draws, long seed) {
        double total = Arrays.stream(w).sum();
        MultinomialSampler sampler = new MultinomialSampler(w);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] sum = new double[w.length];
        double[] sumSquares = new double[w.length];
        double[] expected = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            expected[k] = n * (w[k] / total);
        }
        for (int i = 0; i < draws; i++) {
            int[] counts = sampler.sample(rnd, n);
            for (int k = 0; k < w.length; k++) {
                double d = counts[k] - expected[k];
                sum[k] += d;
                sumSquares[k] += d * d;
            }
        }
        for (int k = 0; k < w.length; k++) {
            double p = w[k] / total;
            double sigma2 = n * p * (1 - p);
            double mu4 = sigma2 * (1 + 3 * p * (1 - p) * (n - 2));
            double mean = sum[k] / draws + expected[k];
            double variance = (sumSquares[k] - sum[k] * sum[k] / draws) / (draws - 1);
            String what = "category " + k + " (p = " + p + ", n = " + n + ", seed " + seed + ")";
            assertThat(mean).as(what + " mean").isCloseTo(expected[k], within(5 * Math.sqrt(sigma2 / draws)));
            assertThat(variance).as(what + " variance")
                    .isCloseTo(sigma2, within(5 * Math.sqrt((mu4 - sigma2 * sigma2 * (draws - 3.0) / (draws - 1)) / draws)));
        }
    }
}
