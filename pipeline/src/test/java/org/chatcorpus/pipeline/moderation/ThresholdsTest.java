package org.chatcorpus.pipeline.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @Test
    void onAWideGapTheHighestTiedThresholdSitsUnderThePositivesAndTheCentredOneInTheMiddle() {
        // Negatives at 0.27, positives at 0.73: every threshold from 0.27 to 0.72 separates them (float steps sit a hair above).
        double[] scores = {0.27, 0.27, 0.27, 0.73, 0.73};
        byte[] y = {0, 0, 0, 1, 1};
        List<Integer> rows = List.of(0, 1, 2, 3, 4);
        assertThat(Thresholds.bestF(scores, y, rows, 0.7)).isEqualTo(0.72f); // 0.73f is a hair above 0.73
        float centred = Thresholds.bestF(scores, y, rows, 0.7, true);
        assertThat(centred).isBetween(0.49f, 0.52f);
        // A new positive a little under the training ones is still caught by the centred threshold only.
        assertThat(0.69 >= centred).isTrue();
        assertThat(0.69 >= Thresholds.bestF(scores, y, rows, 0.7)).isFalse();
    }

    @Test
    void theCentredThresholdKeepsTheBestScoreAndSitsInTheMiddleOfItsRange() {
        double[] scores = {0.1, 0.35, 0.4, 0.62, 0.9};
        byte[] y = {0, 1, 0, 1, 1};
        List<Integer> rows = List.of(0, 1, 2, 3, 4);
        // F1 is best (6/7) from 0.10 to 0.35 (0.10f is a hair above 0.1): three positives and the negative at 0.4 flagged.
        assertThat(Thresholds.bestF(scores, y, rows, 1)).isEqualTo(0.35f);
        assertThat(Thresholds.bestF(scores, y, rows, 1, true)).isEqualTo(0.22f);
    }
}
