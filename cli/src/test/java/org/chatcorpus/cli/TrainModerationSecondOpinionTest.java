package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.pipeline.moderation.LocalModerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `train-moderation --second-opinion`: the default cascade, the screen alone, and the combination refused. */
class TrainModerationSecondOpinionTest {
    @TempDir
    Path dir;

    @Test
    void theScreenAloneIsTrainedWithoutASecondOpinionAndTheDefaultHasOne() throws Exception {
        Path labeled = dir.resolve("labeled.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add("{\"prompt\": \"I will kill you and your family, number " + i + "\", \"V\": 1, \"S\": 0}");
            lines.add("{\"prompt\": \"What a lovely garden, tell me about flower " + i + "\", \"V\": 0, \"S\": 0}");
        }
        Files.write(labeled, lines);
        Path alone = dir.resolve("alone.model");
        Path cascade = dir.resolve("cascade.model");
        assertThat(ChatCorpus.execute("train-moderation", labeled.toString(), "--second-opinion", "none", "--out", alone.toString())).isZero();
        assertThat(ChatCorpus.execute("train-moderation", labeled.toString(), "--out", cascade.toString())).isZero();

        LocalModerator a = LocalModerator.load(alone);
        LocalModerator c = LocalModerator.load(cascade);
        assertThat(a.header().path("config").path("second_opinion").asText()).isEqualTo("none");
        assertThat(a.describe()).contains("char n-grams, SVM)").doesNotContain("second opinion");
        assertThat(c.header().path("config").path("second_opinion").asText()).startsWith("all-MiniLM-L6-v2-q (int8)");
        assertThat(c.describe()).contains("all-MiniLM-L6-v2-q second opinion");
        // Both learn this easy split; the cascade's judge decides the threat, the screen alone decides it too.
        List<String> texts = List.of("I will kill you and your family, number 99", "What a lovely garden, tell me about flower 99");
        assertThat(a.moderate(texts).get(0).flagged()).isTrue();
        assertThat(a.moderate(texts).get(1).flagged()).isFalse();
        assertThat(c.moderate(texts).get(0).flagged()).isTrue();
        assertThat(c.moderate(texts).get(1).flagged()).isFalse();
    }

    @Test
    void aSecondOpinionBesideATransformerEmbedderIsAUsageError() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        int code;
        try {
            code = ChatCorpus.execute("train-moderation", "labeled.jsonl", "--embedder", "minilm-q", "--second-opinion", "minilm",
                    "--out", dir.resolve("m.model").toString());
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--second-opinion minilm goes with --embedder static").doesNotContain("Exception");
        assertThat(dir.resolve("m.model")).doesNotExist();
    }
}
