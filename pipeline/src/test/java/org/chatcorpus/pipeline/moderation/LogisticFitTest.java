package org.chatcorpus.pipeline.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.chatcorpus.core.model.ModerationCategory;
import org.junit.jupiter.api.Test;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

class LogisticFitTest {
    /** Two Gaussian clouds in 8 dimensions, class 1 shifted along the first axes. */
    private static float[][] points(byte[] y, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[y.length][8];
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) (i % 4 == 0 ? 1 : 0);
            for (int k = 0; k < 8; k++) {
                x[i][k] = (float) (r.nextGaussian() * 0.5 + (y[i] == 1 && k < 3 ? 1.0 : 0.0));
            }
        }
        return x;
    }

    @Test
    void extractedWeightsReproduceTribuosProbabilities() {
        byte[] y = new byte[400];
        float[][] x = points(y, 7);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            rows.add(i);
        }
        LinearSGDModel tribuo = LogisticFit.tribuoModel(x, y, rows, 3.0, 1);
        LogisticFit fit = LogisticFit.fromTribuo(tribuo, 8);
        for (int i = 0; i < 50; i++) {
            Prediction<Label> p = tribuo.predict(LogisticFit.example(x[i], LabelOf.unknown(), 1f));
            double expected = p.getOutputScores().get(LogisticFit.YES).getScore();
            assertThat(fit.score(x[i])).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void separableCloudsAreLearned() {
        byte[] y = new byte[400];
        float[][] x = points(y, 11);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            rows.add(i);
        }
        LogisticFit fit = LogisticFit.fit(x, y, rows, 3.0, 1);
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += (fit.score(x[i]) >= 0.5) == (y[i] == 1) ? 1 : 0;
        }
        assertThat(correct).isGreaterThan(360);
        assertThat(ModerationCategory.COUNT).isEqualTo(11);
    }

    private static final class LabelOf {
        static Label unknown() {
            return org.tribuo.classification.LabelFactory.UNKNOWN_LABEL;
        }
    }
}
