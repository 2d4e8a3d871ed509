package org.chatcorpus.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The static distillation of MiniLM from the real model in the langchain4j jar (distilled once for the class). */
class StaticMiniLmEmbedderTest {
    static StaticMiniLmEmbedder embedder;

    @BeforeAll
    static void distil() {
        embedder = StaticMiniLmEmbedder.distil(Progress.silent("distil"));
    }

    @Test
    void everyWordPieceOfTheVocabularyHasARow() {
        assertThat(StaticMiniLmEmbedder.vocabularySize()).isEqualTo(30522);
        assertThat(embedder.row(0)).hasSize(StaticMiniLmEmbedder.DIMENSIONS);
        assertThat(embedder.row(30521)).hasSize(StaticMiniLmEmbedder.DIMENSIONS);
    }

    @Test
    void textsOfTheSameMeaningAreCloserThanUnrelatedOnes() {
        float[][] v = embedder.embed(List.of("How do I bake bread at home?", "Recipe for homemade bread", "The stock market fell today."),
                Progress.silent("embed"));
        assertThat(cosine(v[0], v[1])).isGreaterThan(cosine(v[0], v[2])); // measured 0.38 against 0.29
        assertThat(cosine(v[0], v[0])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void piecesAreWordPiecesWithoutSpecialTokensAndCutAtTheLimit() {
        assertThat(embedder.pieces("hello world")).containsExactly(7592, 2088); // BERT uncased: hello=7592, world=2088
        assertThat(embedder.pieces("word ".repeat(2000))).hasSize(StaticMiniLmEmbedder.MAX_PIECES);
        assertThat(embedder.embed(List.of(""), Progress.silent("e"))[0]).containsOnly(0f);
    }

    @Test
    void aWrittenTableReadsBackToTheSameVectors() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        embedder.write(new DataOutputStream(bytes));
        StaticMiniLmEmbedder read = StaticMiniLmEmbedder.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        List<String> texts = List.of("a poem about spring", "I will kill you");
        assertThat(read.embed(texts, Progress.silent("e"))).isDeepEqualTo(embedder.embed(texts, Progress.silent("e")));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        read.write(new DataOutputStream(again));
        assertThat(again.toByteArray()).isEqualTo(bytes.toByteArray());
    }

    private static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
