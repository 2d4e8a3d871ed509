package org.chatcorpus.pipeline.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.model.ModerationCategory;
import org.junit.jupiter.api.Test;

/** A release's own tags can give millions of labeled messages; the embedding trainer keeps a bounded, flagged-rich sample. */
class TrainingSampleTest {

    @Test
    void aSmallSetIsKeptWhole() {
        List<LabeledText> data = texts(100, 10);
        assertThat(EmbeddingModerationTrainer.sample(data, 3000, 42)).isSameAs(data);
    }

    @Test
    void everyFlaggedTextIsKeptWhileTheyAreUnderHalfAndTheRestIsFilledWithOthersInTheirOrder() {
        List<LabeledText> data = texts(10_000, 1_000);
        List<LabeledText> s = EmbeddingModerationTrainer.sample(data, 3000, 42);
        assertThat(s).hasSize(3000);
        assertThat(s.stream().filter(t -> EmbeddingModerationTrainer.flaggedLabel(t.labels()) == 1).count()).isEqualTo(1000);
        List<Integer> order = s.stream().map(t -> Integer.parseInt(t.text().substring(5))).toList();
        assertThat(order).isSorted();
        assertThat(EmbeddingModerationTrainer.sample(data, 3000, 42)).isEqualTo(s); // seeded
    }

    @Test
    void flaggedTextsAreCutToHalfWhenTheyAreMost() {
        List<LabeledText> s = EmbeddingModerationTrainer.sample(texts(10_000, 8_000), 3000, 42);
        assertThat(s).hasSize(3000);
        assertThat(s.stream().filter(t -> EmbeddingModerationTrainer.flaggedLabel(t.labels()) == 1).count()).isEqualTo(1500);
    }

    @Test
    void textsWithNoCategoryLabeledAreLeftOut() {
        List<LabeledText> data = texts(5_000, 500);
        byte[] unknown = new byte[ModerationCategory.COUNT];
        java.util.Arrays.fill(unknown, (byte) -1);
        for (int i = 0; i < 2_000; i++) {
            data.add(new LabeledText("text " + (5_000 + i), unknown));
        }
        List<LabeledText> s = EmbeddingModerationTrainer.sample(data, 3000, 42);
        assertThat(s).hasSize(3000).allMatch(t -> EmbeddingModerationTrainer.flaggedLabel(t.labels()) >= 0);
    }

    /** {@code n} texts "text i", the first {@code flagged} of every ten-thousand-block spread evenly: violence 1, else all 0. */
    private static List<LabeledText> texts(int n, int flagged) {
        List<LabeledText> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] labels = new byte[ModerationCategory.COUNT];
            if ((long) i * flagged / n != (long) (i + 1) * flagged / n) {
                labels[ModerationCategory.VIOLENCE.ordinal()] = 1;
            }
            out.add(new LabeledText("text " + i, labels));
        }
        return out;
    }
}
