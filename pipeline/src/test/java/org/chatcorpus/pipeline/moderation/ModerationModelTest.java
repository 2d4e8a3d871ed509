package org.chatcorpus.pipeline.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModerationModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static ModerationTrainer.Result trained;

    @BeforeAll
    static void train() throws Exception {
        trained = ModerationTrainer.train(List.of(SharedData.file("openai-moderation-dev.jsonl.gz")), 0.2, 42, Quarantine.counting());
    }

    @Test
    void missingLabelsAreUnknownNotNegative() throws Exception {
        List<LabeledText> data = TrainingData.read(SharedData.file("openai-moderation-dev.jsonl.gz"), Quarantine.counting());
        assertThat(data).hasSize(1200);
        long unknownSexual = data.stream().filter(t -> t.labels()[ModerationCategory.SEXUAL.ordinal()] < 0).count();
        assertThat(unknownSexual).isPositive();
        assertThat(data).allMatch(t -> t.labels()[ModerationCategory.SELF_HARM_INTENT.ordinal()] == -1);
    }

    @Test
    void heldOutFlaggedRecallAndF1AreReported() {
        var flagged = trained.heldOutMetrics().get("flagged");
        System.out.println("held-out metrics: " + trained.heldOutMetrics());
        assertThat(trained.testSize()).isEqualTo(240);
        assertThat(flagged.get("recall").asDouble()).isGreaterThan(0.6);
        assertThat(flagged.get("f1").asDouble()).isGreaterThan(0.4);
    }

    @Test
    void harmfulRedTeamPromptsScoreHigherThanBenchmarkQuestions() throws Exception {
        ModerationModel m = trained.model();
        double hh = 0;
        int nh = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz"))), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && nh < 500) {
                String chosen = JSON.readTree(line).get("chosen").asText();
                String prompt = chosen.substring(9, Math.max(9, chosen.indexOf("\n\nAssistant:")));
                hh += maxScore(m.moderate(prompt));
                nh++;
            }
        }
        double mt = 0;
        int nm = 0;
        for (String line : Files.readAllLines(SharedData.file("mt-bench-questions.jsonl"))) {
            mt += maxScore(m.moderate(JSON.readTree(line).get("turns").get(0).asText()));
            nm++;
        }
        System.out.printf("mean max score: hh-rlhf red-team prompts %.3f, MT-bench questions %.3f%n", hh / nh, mt / nm);
        assertThat(hh / nh).isGreaterThan(1.5 * (mt / nm));
    }

    private static double maxScore(Moderation m) {
        double best = 0;
        for (double s : m.scores()) {
            best = Math.max(best, s);
        }
        return best;
    }

    @Test
    void savedModelPredictsTheSameAndCarriesItsProvenance(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.model");
        trained.model().save(f);
        ModerationModel back = ModerationModel.load(f);
        for (String s : List.of("I will kill you", "What is the capital of France?", "", "x".repeat(100_000))) {
            assertThat(back.moderate(s)).isEqualTo(trained.model().moderate(s));
        }
        assertThat(back.header().get("training_data").get(0).get("sha256").asText()).hasSize(64);
        assertThat(back.header().get("held_out_metrics").has("flagged")).isTrue();
        Files.write(dir.resolve("bad.model"), new byte[] {1, 2, 3});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModerationModel.load(dir.resolve("bad.model")))
                .hasMessageContaining("bad.model");
    }

    @Test
    void trainingIsDeterministicPerSeed() throws Exception {
        ModerationTrainer.Result again = ModerationTrainer.train(List.of(SharedData.file("openai-moderation-dev.jsonl.gz")), 0.2, 42,
                Quarantine.counting());
        assertThat(again.heldOutMetrics()).isEqualTo(trained.heldOutMetrics());
        List<String> probes = new ArrayList<>(List.of("you are an idiot", "how do I bake bread"));
        for (String p : probes) {
            assertThat(again.model().moderate(p)).isEqualTo(trained.model().moderate(p));
        }
    }
}
