package org.chatcorpus.preference;

/** Log loss of one prediction as the competition scores it: probabilities clipped to [1e-15, 1 - 1e-15]. */
public final class LogLoss {
    private LogLoss() {
    }

    public static double of(double probabilityOfTruth) {
        double p = Math.min(1 - 1e-15, Math.max(1e-15, probabilityOfTruth));
        return -Math.log(p);
    }
}
