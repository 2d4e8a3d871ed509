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
 * The embedding moderator on real data: cross-validated F1 on OpenAI's samples, and no crying wolf
 * on ordinary traffic (MT-bench questions, ShareGPT conversations) it was never tuned on.
 */
class EmbeddingModerationModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static EmbeddingModerationTrainer.Result trained;

    @BeforeAll
    static void train() throws Exception {
        trained = EmbeddingModerationTrainer.train(List.of(SharedData.file("openai-moderation-dev.jsonl.gz")), "minilm-q", 42,
                Quarantine.counting());
    }

    @Test
    void crossValidatedFlaggedF1IsReportedInTheHeader() {
        JsonNode flagged = trained.cvMetrics().get("flagged");
        System.out.println("embedding model, 5-fold: " + trained.cvMetrics());
        assertThat(trained.examples()).isEqualTo(1200);
        assertThat(trained.model().header().path("cv_metrics").path("flagged").path("f1").asDouble()).isEqualTo(flagged.get("f1").asDouble());
        assertThat(flagged.get("support").asLong()).isEqualTo(367);
        // Measured 0.63 (precision 0.70, recall 0.57); the goal of 0.70 is not met (docs/benchmarks.md).
        assertThat(flagged.get("f1").asDouble()).isGreaterThan(0.6);
        assertThat(flagged.get("precision").asDouble()).isGreaterThan(0.65);
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
        // Measured 5 of 80; the goal of at most 2 is not met (docs/benchmarks.md). The n-gram model flags far more.
        assertThat(flagged).isLessThanOrEqualTo(6);
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
        assertThat(flagged).isLessThanOrEqualTo(25); // goal: at most 5%; measured 6 of 500
    }

    @Test
    void aSavedModelLoadsAndScoresTheSame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.model");
        trained.model().save(file);
        LocalModerator loaded = LocalModerator.load(file);
        assertThat(loaded).isInstanceOf(EmbeddingModerationModel.class);
        List<String> texts = List.of("I will kill you", "a poem about spring");
        assertThat(loaded.moderate(texts)).isEqualTo(trained.model().moderate(texts));
        assertThat(loaded.describe()).contains("embedding model").contains("openai-moderation-dev.jsonl.gz").contains("(5-fold)");
    }
}
