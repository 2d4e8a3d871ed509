package org.chatcorpus.pipeline.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding moderator (default static MiniLM embedder) on real data: cross-validated F1 on
 * OpenAI's samples against the n-gram model's on the same folds, and no crying wolf on ordinary
 * traffic (MT-bench questions, ShareGPT conversations) it was never trained or thresholded on.
 */
class EmbeddingModerationModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static EmbeddingModerationTrainer.Result trained;

    @BeforeAll
    static void train() throws Exception {
        trained = EmbeddingModerationTrainer.train(List.of(SharedData.file("openai-moderation-dev.jsonl.gz")), EmbeddingModerationModel.STATIC, 42,
                Quarantine.counting());
    }

    @Test
    void crossValidatedFlaggedF1IsReportedInTheHeaderAndBeatsTheNgramModelOnTheSameFolds() throws Exception {
        JsonNode flagged = trained.cvMetrics().get("flagged");
        System.out.println("embedding model, 5-fold: " + trained.cvMetrics());
        assertThat(trained.examples()).isEqualTo(1200);
        assertThat(trained.model().header().path("cv_metrics").path("flagged").path("f1").asDouble()).isEqualTo(flagged.get("f1").asDouble());
        assertThat(flagged.get("support").asLong()).isEqualTo(367);
        double ngram = ModerationTrainer.crossValidate(TrainingData.read(SharedData.file("openai-moderation-dev.jsonl.gz"),
                Quarantine.counting()), 42).get("flagged").get("f1").asDouble();
        System.out.println("n-gram model, 5-fold flagged F1: " + ngram);
        // Measured 0.718 (precision 0.75, recall 0.69; the SVMs' settings and the thresholds chosen
        // inside each training fold) against the n-gram model's 0.534; the static screen alone 0.695.
        // Issue 13's goal is 0.70 (docs/benchmarks.md: 0.715 and 0.715 on two other fold seeds).
        assertThat(flagged.get("f1").asDouble()).isGreaterThan(ngram + 0.15).isGreaterThanOrEqualTo(0.70);
        assertThat(flagged.get("precision").asDouble()).isGreaterThan(0.72);
        assertThat(trained.model().header().path("config").path("second_opinion").asText()).startsWith("all-MiniLM-L6-v2-q (int8)");
    }

    @Test
    void ordinaryGreetingsAreNotFlagged() {
        List<Moderation> m = trained.model().moderate(List.of("Hello, how are you?", "hi", "What is the capital of France?", ""));
        assertThat(m).noneMatch(Moderation::flagged);
    }

    @Test
    void mtBenchQuestionsAreAlmostNeverFlagged() throws Exception {
        int flagged = 0;
        int questions = 0;
        for (String line : Files.readAllLines(SharedData.file("mt-bench-questions.jsonl"))) {
            List<String> turns = new ArrayList<>();
            JSON.readTree(line).get("turns").forEach(t -> turns.add(t.asText()));
            questions++;
            if (trained.model().moderate(turns).stream().anyMatch(Moderation::flagged)) {
                flagged++;
            }
        }
        System.out.println("MT-bench questions flagged: " + flagged + " of " + questions);
        assertThat(questions).isEqualTo(80);
        // The goal of issue 13: at most 2 of 80 (measured 0). The n-gram model flags far more.
        assertThat(flagged).isLessThanOrEqualTo(2);
    }

    @Test
    void shareGptConversationsAreRarelyFlagged() throws Exception {
        List<Conversation> convs = new DatasetReader(List.of(SharedData.file("fastchat-dummy-conversation.json").toString()), "sharegpt")
                .readAll(Quarantine.counting());
        int flagged = 0;
        int messages = 0;
        long t0 = System.nanoTime();
        for (Conversation c : convs) {
            List<String> texts = c.conversation().stream().map(Message::content).toList();
            messages += texts.size();
            if (trained.model().moderate(texts).stream().anyMatch(Moderation::flagged)) {
                flagged++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ShareGPT conversations flagged: %d of %d; %d messages at %.0f messages/s on one thread%n",
                flagged, convs.size(), messages, messages / seconds);
        assertThat(convs).hasSize(500);
        assertThat(flagged).isLessThanOrEqualTo(25); // the goal: at most 5%; measured 0 of 500
    }

    @Test
    void aSavedModelLoadsAndScoresTheSame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.model");
        trained.model().save(file);
        LocalModerator loaded = LocalModerator.load(file);
        assertThat(loaded).isInstanceOf(EmbeddingModerationModel.class);
        List<String> texts = List.of("I will kill you", "a poem about spring");
        assertThat(loaded.moderate(texts)).isEqualTo(trained.model().moderate(texts));
        assertThat(loaded.describe()).contains("embedding model (all-MiniLM-L6-v2-static").contains("openai-moderation-dev.jsonl.gz")
                .contains("(5-fold)");
        assertThat(loaded.header().path("config").path("embedder").asText()).isEqualTo("static");
    }

    @Test
    void aThreatIsFlaggedAndNamedAsViolence() {
        Moderation m = trained.model().moderate(List.of("I am going to find you and kill you and your whole family.")).get(0);
        assertThat(m.flagged()).isTrue();
        assertThat(m.categories()[org.chatcorpus.core.model.ModerationCategory.VIOLENCE.ordinal()]).isTrue();
    }
}
