package org.chatcorpus.battles.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fixed seeds throughout, so every statistical bound below is checked against one reproducible
 * stream; the bounds are 5 standard errors of the statistic, from the binomial's own moments.
 */
class BinomialSamplerTest {
    private static final int DRAWS = 200_000;

    @Test
    void degenerateParametersGiveTheirOnlyValue() {
        SplittableRandom rnd = new SplittableRandom(1);
        assertThat(BinomialSampler.sample(rnd, 0, 0.3)).isZero();
        assertThat(BinomialSampler.sample(rnd, 0, 1)).isZero();
        assertThat(BinomialSampler.sample(rnd, 1_000_000, 0)).isZero();
        assertThat(BinomialSampler.sample(rnd, 1_000_000, 1)).isEqualTo(1_000_000);
        assertThat(BinomialSampler.sample(rnd, Integer.MAX_VALUE, 1)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void oneTrialIsABernoulliDraw() {
        assertMomentsMatch(1, 0.3, 2);
        assertMomentsMatch(1, 0.9, 3);
    }

    @Test
    void smallMeanByWaitingTimesHasBinomialMoments() {
        assertMomentsMatch(20, 0.1, 4);
        assertMomentsMatch(1000, 0.0095, 5);
    }

    @Test
    void largeMeanByRejectionHasBinomialMoments() {
        assertMomentsMatch(40, 0.25, 6); // n·p = 10, the smallest mean the rejection method takes
        assertMomentsMatch(1001, 0.5, 7);
        assertMomentsMatch(1_000_000, 0.3, 8);
    }

    @Test
    void tinyProbabilityWithMillionsOfTrialsHasBinomialMoments() {
        assertMomentsMatch(1_000_000, 1e-7, 9);
        assertMomentsMatch(1_000_000, 2e-5, 10);
    }

    @Test
    void probabilityNearOneHasBinomialMoments() {
        assertMomentsMatch(1_000_000, 1 - 1e-7, 11);
        assertMomentsMatch(1_000_000, 0.999, 12);
        assertMomentsMatch(50, 0.97, 13);
    }

    @Test
    void billionsOfTrialsStayInRangeWithTheRightMean() {
        assertMomentsMatch(2_000_000_000, 0.5, 14);
        assertMomentsMatch(Integer.MAX_VALUE, 0.3, 15);
        assertMomentsMatch(Integer.MAX_VALUE, 0.7, 16);
    }

    @Test
    void smallMeanFollowsTheExactPmf() {
        assertPmfMatches(50, 0.1, 21); // waiting times
    }

    @Test
    void largeMeanFollowsTheExactPmf() {
        assertPmfMatches(200, 0.25, 22); // rejection
        assertPmfMatches(60, 0.5, 23); // rejection, n·p = 30
    }

    @Test
    void probabilityAboveOneHalfFollowsTheExactPmfOfTheMirroredDraw() {
        assertPmfMatches(200, 0.8, 24);
        assertPmfMatches(30, 0.9, 25);
    }

    @Test
    void sameSeedGivesTheSameVariates() {
        SplittableRandom a = new SplittableRandom(99);
        SplittableRandom b = new SplittableRandom(99);
        for (int i = 0; i < 1000; i++) {
            int n = 1 + i * 997;
            double p = (i % 100) / 100.0;
            assertThat(BinomialSampler.sample(a, n, p)).isEqualTo(BinomialSampler.sample(b, n, p));
        }
    }

    @Test
    void stirlingCorrectionMatchesExactLogFactorials() {
        double logFactorial = 0;
        for (int k = 0; k <= 200; k++) {
            logFactorial += k == 0 ? 0 : Math.log(k);
            double stirling = (k + 0.5) * Math.log(k + 1) - (k + 1) + 0.5 * Math.log(2 * Math.PI);
            assertThat(BinomialSampler.stirlingCorrection(k)).as("k = %d", k)
                    .isCloseTo(logFactorial - stirling, within(1e-10));
        }
    }

    @Test
    void rejectsParametersOutsideTheDistribution() {
        SplittableRandom rnd = new SplittableRandom(1);
        assertThatThrownBy(() -> BinomialSampler.sample(rnd, -1, 0.5)).hasMessageContaining("trials must be >= 0");
        assertThatThrownBy(() -> BinomialSampler.sample(rnd, 10, 1.5)).hasMessageContaining("in [0, 1], got 1.5");
        assertThatThrownBy(() -> BinomialSampler.sample(rnd, 10, Double.NaN)).hasMessageContaining("got NaN");
    }

    /** Sample mean and variance of DRAWS variates within 5 standard errors of n·p and n·p·(1-p). */
    private static void assertMomentsMatch(int n, double p, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double sum = 0;
        double sumSquares = 0;
        double shift = Math.floor(n * p); // centring keeps the sums of squares exact enough
        for (int i = 0; i < DRAWS; i++) {
            int k = BinomialSampler.sample(rnd, n, p);
            assertThat(k).isBetween(0, n);
            double d = k - shift;
            sum += d;
            sumSquares += d * d;
        }
        double mean = sum / DRAWS + shift;
        double variance = (sumSquares - sum * sum / DRAWS) / (DRAWS - 1);
        double q = 1 - p;
        double sigma2 = n * p * q;
        // Central fourth moment of the binomial: n·p·q·(1 + 3·p·q·(n - 2)).
        double mu4 = sigma2 * (1 + 3 * p * q * (n - 2));
        double meanError = Math.sqrt(sigma2 / DRAWS);
        double varianceError = Math.sqrt((mu4 - sigma2 * sigma2 * (DRAWS - 3.0) / (DRAWS - 1)) / DRAWS);
        String what = "Binomial(" + n + ", " + p + "), seed " + seed;
        assertThat(mean).as(what + " mean").isCloseTo(n * p, within(5 * meanError));
        assertThat(variance).as(what + " variance").isCloseTo(sigma2, within(5 * varianceError));
    }

    /**
     * Pearson's chi-square of DRAWS variates against the exact pmf, over values with an expected
     * count of at least 20 and one pooled bin for the rest, below its mean plus 5 standard
     * deviations (df + 5·sqrt(2·df)). Catches a wrong shape that moments alone would miss.
     */
    private static void assertPmfMatches(int n, double p, long seed) {
        double[] pmf = new double[n + 1];
        double logQ = Math.log1p(-p);
        double logP = Math.log(p);
        double logChoose = 0;
        for (int k = 0; k <= n; k++) {
            if (k > 0) {
                logChoose += Math.log(n - k + 1) - Math.log(k);
            }
            pmf[k] = Math.exp(logChoose + k * logP + (n - k) * logQ);
        }
        long[] observed = new long[n + 1];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < DRAWS; i++) {
            observed[BinomialSampler.sample(rnd, n, p)]++;
        }
        double chiSquare = 0;
        int bins = 0;
        double pooledExpected = 0;
        long pooledObserved = 0;
        for (int k = 0; k <= n; k++) {
            double expected = pmf[k] * DRAWS;
            if (expected >= 20) {
                chiSquare += (observed[k] - expected) * (observed[k] - expected) / expected;
                bins++;
            } else {
                pooledExpected += expected;
                pooledObserved += observed[k];
            }
        }
        if (pooledExpected > 0) {
            chiSquare += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
            bins++;
        }
        int df = bins - 1;
        assertThat(bins).as("bins with enough expected counts").isGreaterThan(5);
        assertThat(chiSquare).as("chi-square of Binomial(%d, %s) over %d bins, seed %d", n, p, bins, seed)
                .isLessThan(df + 5 * Math.sqrt(2.0 * df));
    }
}
