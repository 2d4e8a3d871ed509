package org.chatcorpus.battles.rating;

import java.util.random.RandomGenerator;

/**
 * Exact Binomial(n, p) variates in bounded expected time for any n, with nothing built per (n, p):
 * the bootstrap draws one variate for each of ~2k matchups per round, each with its own n and p.
 *
 * <p>Why our own: Commons RNG's only binomial sampler (MarsagliaTsangWangDiscreteSampler.Binomial,
 * in 1.6 and 1.7) tabulates the whole distribution for one (n, p), refuses n ≥ 65,536 and, at
 * p = 1/2, already n = 2,000 (where (1-p)^n underflows), so it fits neither millions of trials nor
 * a new p on every draw.
 *
 * <p>For p > 1/2 we draw n - Binomial(n, 1-p). Then, as TensorFlow's and PyTorch's binomial
 * samplers split the work:
 * <ul>
 *   <li>n·p &lt; 10: inversion by waiting times. The number of trials up to and including each
 *       success is Geometric(p), drawn exactly by inversion as ceil(ln U / ln(1-p)); the number of
 *       successes whose waiting times fit in n trials is Binomial(n, p). Expected n·p + 1 uniforms.
 *   <li>n·p ≥ 10: BTRS, Hörmann's transformed rejection with squeeze (W. Hörmann, "The generation
 *       of binomial random variates", J. Statist. Comput. Simul. 46, 1993, 101-110): a hat over the
 *       pmf from a transformed uniform, a box where acceptance is certain, and otherwise the exact
 *       test against log(pmf(k) / pmf(mode)).
 * </ul>
 * The rejection test uses log k! through Stirling's series with the correction term tabulated
 * exactly for k &lt; 10 and to O(k^-7) beyond (an error below 1e-10, as BTPE's own Stirling step),
 * so the variates are exact up to floating-point rounding, not a normal approximation.
 */
final class BinomialSampler {

    /** Hörmann proves BTRS's hat for n·p ≥ 10; below that, inversion needs about n·p + 1 uniforms. */
    private static final double INVERSION_MAX_MEAN = 10;

    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    /** ln k! - [(k + 1/2) ln(k + 1) - (k + 1) + ln(2π)/2] for k < 10, from exact log-factorials. */
    private static final double[] STIRLING_CORRECTION = new double[10];

    static {
        double logFactorial = 0;
        for (int k = 0; k < STIRLING_CORRECTION.length; k++) {
            logFactorial += k == 0 ? 0 : Math.log(k);
            STIRLING_CORRECTION[k] = logFactorial - ((k + 0.5) * Math.log(k + 1) - (k + 1) + HALF_LOG_TWO_PI);
        }
    }

    private BinomialSampler() {
    }

    /** One Binomial(n, p) variate from {@code rnd}; n ≥ 0 and 0 ≤ p ≤ 1. */
    static int sample(RandomGenerator rnd, int n, double p) {
        if (n < 0) {
            throw new IllegalArgumentException("binomial trials must be >= 0, got " + n);
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("binomial probability must be in [0, 1], got " + p);
        }
        if (p > 0.5) {
            return n - sampleAtMostHalf(rnd, n, 1 - p);
        }
        return sampleAtMostHalf(rnd, n, p);
    }

    private static int sampleAtMostHalf(RandomGenerator rnd, int n, double p) {
        if (n == 0 || p == 0) {
            return 0;
        }
        return n * p < INVERSION_MAX_MEAN ? byWaitingTimes(rnd, n, p) : byTransformedRejection(rnd, n, p);
    }

    private static int byWaitingTimes(RandomGenerator rnd, int n, double p) {
        double logQ = Math.log1p(-p);
        double trials = 0; // index of the latest success
        int successes = 0;
        while (true) {
            // P(ceil(ln U / ln q) > j) = P(U < q^j) = q^j: a Geometric(p) count on {1, 2, ...}.
            // U = 0 gives +infinity, which just ends the count.
            trials += Math.ceil(Math.log(rnd.nextDouble()) / logQ);
            if (trials > n) {
                return successes;
            }
            successes++;
        }
    }

    /** Hörmann's BTRS, for p ≤ 1/2 and n·p ≥ 10; constants as in the paper. */
    private static int byTransformedRejection(RandomGenerator rnd, int trials, double p) {
        double n = trials; // in double throughout: n + 1 overflows an int at Integer.MAX_VALUE
        double q = 1 - p;
        double spq = Math.sqrt(n * p * q);
        double b = 1.15 + 2.53 * spq;
        double a = -0.0873 + 0.0248 * b + 0.01 * p;
        double c = n * p + 0.5;
        double vR = 0.92 - 4.2 / b;
        double alpha = (2.83 + 5.1 / b) * spq;
        double r = p / q;
        double m = Math.floor((n + 1) * p); // the mode
        while (true) {
            double u = rnd.nextDouble() - 0.5;
            double v = rnd.nextDouble();
            double us = 0.5 - Math.abs(u);
            double k = Math.floor((2 * a / us + b) * u + c);
            if (k < 0 || k > n) {
                continue;
            }
            if (us >= 0.07 && v <= vR) {
                return (int) k; // inside the box under the pmf: accept without evaluating it
            }
            double logV = Math.log(v * alpha / (a / (us * us) + b));
            // log(pmf(k) / pmf(m)), with ln x! = (x + 1/2) ln(x + 1) - (x + 1) + ln(2π)/2 + correction(x).
            double logRatio = (m + 0.5) * Math.log((m + 1) / (r * (n - m + 1)))
                    + (n + 1) * Math.log((n - m + 1) / (n - k + 1))
                    + (k + 0.5) * Math.log(r * (n - k + 1) / (k + 1))
                    + stirlingCorrection(m) + stirlingCorrection(n - m)
                    - stirlingCorrection(k) - stirlingCorrection(n - k);
            if (logV <= logRatio) {
                return (int) k;
            }
        }
    }

    /** ln k! minus Stirling's approximation (k + 1/2) ln(k + 1) - (k + 1) + ln(2π)/2. */
    static double stirlingCorrection(double k) {
        if (k < STIRLING_CORRECTION.length) {
            return STIRLING_CORRECTION[(int) k];
        }
        double x = k + 1;
        double x2 = x * x;
        return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / x2) / x2) / x;
    }
}
