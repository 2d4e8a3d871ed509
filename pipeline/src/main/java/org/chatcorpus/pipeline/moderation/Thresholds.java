package org.chatcorpus.pipeline.moderation;

import java.util.List;

/** Decision thresholds chosen on scores of labeled rows the model did not train on. */
final class Thresholds {
    private Thresholds() {
    }

    /** The threshold in 0.02..0.98 (steps of 0.01) with the best F1 of these scores; the higher one on a tie. */
    static float bestF1(double[] scores, byte[] y, List<Integer> rows) {
        return bestF(scores, y, rows, 1);
    }

    /**
     * The threshold with the best F-beta; beta below 1 weighs precision more, which a moderator
     * needs on ordinary traffic, where toxic messages are far rarer than in labeled samples.
     */
    static float bestF(double[] scores, byte[] y, List<Integer> rows, double beta) {
        return bestF(scores, y, rows, beta, false);
    }

    /**
     * As {@link #bestF(double[], byte[], List, double)}; with {@code centreOfTies} the middle of the
     * thresholds that tie for the best F-beta rather than the highest. A margin classifier on an easy
     * split separates its training scores widely, and the highest tied threshold then sits at the top
     * of the gap, just under the training positives, where a new positive falls short of it.
     */
    static float bestF(double[] scores, byte[] y, List<Integer> rows, double beta, boolean centreOfTies) {
        float[] tied = new float[97];
        int ties = 0;
        float best = 0.5f;
        double bestF1 = -1;
        for (int step = 2; step <= 98; step++) {
            float t = step / 100f;
            double f1 = f(scores, y, rows, t, beta);
            if (f1 > bestF1) {
                ties = 0;
            }
            if (f1 >= bestF1) {
                bestF1 = f1;
                best = t;
                tied[ties++] = t;
            }
        }
        return centreOfTies && ties > 0 ? tied[(ties - 1) / 2] : best;
    }

    /** The F-beta of flagging the rows whose score is at least {@code threshold}; 0 when none is right. */
    static double f(double[] scores, byte[] y, List<Integer> rows, float threshold, double beta) {
        double b2 = beta * beta;
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i : rows) {
            boolean pred = scores[i] >= threshold;
            boolean gold = y[i] == 1;
            tp += pred && gold ? 1 : 0;
            fp += pred && !gold ? 1 : 0;
            fn += !pred && gold ? 1 : 0;
        }
        return tp == 0 ? 0 : (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp);
    }
}
