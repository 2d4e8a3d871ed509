package org.chatcorpus.pipeline.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The flagged SVM learns from either half of its kernel, and the saved arrays (support vectors,
 * the n-gram part folded into one weight per bucket) decide exactly as the trained machine.
 */
class FlaggedSvmTest {
    private static final int DIMS = 8;
    private static final String[] WORDS = {"apple", "river", "window", "garden", "pencil", "cloud", "music", "table", "yellow", "summer"};

    @Test
    void learnsFromCharacterNgramsWhenTheSentenceVectorsAreNoise() {
        Random r = new Random(1);
        List<String> texts = new ArrayList<>();
        byte[] y = new byte[120];
        float[][] vectors = new float[120][];
        for (int i = 0; i < 120; i++) {
            y[i] = (byte) (i % 3 == 0 ? 1 : 0);
            texts.add(sentence(r) + (y[i] == 1 ? " zorblax" : ""));
            vectors[i] = noise(r);
        }
        FlaggedSvmTrainer.Trained t = train(vectors, texts, y);
        assertThat(t.svm().score(noise(r), CharNgrams.termFrequencies("the garden zorblax music"))).isGreaterThanOrEqualTo(t.threshold());
        assertThat(t.svm().score(noise(r), CharNgrams.termFrequencies("the garden pencil music"))).isLessThan(t.threshold());
    }

    @Test
    void learnsFromTheSentenceVectorsWhenTheTextsAreNoise() {
        Random r = new Random(2);
        List<String> texts = new ArrayList<>();
        byte[] y = new byte[120];
        float[][] vectors = new float[120][];
        for (int i = 0; i < 120; i++) {
            y[i] = (byte) (i % 3 == 0 ? 1 : 0);
            texts.add(sentence(r));
            vectors[i] = noise(r);
            vectors[i][0] += y[i] == 1 ? 3 : -3; // the classes sit apart along one direction
        }
        FlaggedSvmTrainer.Trained t = train(vectors, texts, y);
        float[] positive = noise(r);
        positive[0] += 3;
        float[] negative = noise(r);
        negative[0] -= 3;
        assertThat(t.svm().score(positive, CharNgrams.termFrequencies(sentence(r)))).isGreaterThanOrEqualTo(t.threshold());
        assertThat(t.svm().score(negative, CharNgrams.termFrequencies(sentence(r)))).isLessThan(t.threshold());
    }

    @Test
    void aWrittenSvmReadsBackAndDecidesTheSame() throws Exception {
        Random r = new Random(3);
        List<String> texts = new ArrayList<>();
        byte[] y = new byte[60];
        float[][] vectors = new float[60][];
        for (int i = 0; i < 60; i++) {
            y[i] = (byte) (i % 2);
            texts.add(sentence(r) + (y[i] == 1 ? " zorblax" : ""));
            vectors[i] = noise(r);
        }
        FlaggedSvm svm = train(vectors, texts, y).svm();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        svm.write(new DataOutputStream(bytes));
        FlaggedSvm back = FlaggedSvm.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (int i = 0; i < 60; i++) {
            CharNgrams.Sparse tf = CharNgrams.termFrequencies(texts.get(i));
            assertThat(back.decision(vectors[i], tf)).isEqualTo(svm.decision(vectors[i], tf));
        }
        assertThat(back.coef().length).isEqualTo(svm.coef().length).isPositive();
    }

    private static FlaggedSvmTrainer.Trained train(float[][] vectors, List<String> texts, byte[] y) {
        CharNgrams.Sparse[] tf = texts.stream().map(CharNgrams::termFrequencies).toArray(CharNgrams.Sparse[]::new);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(i);
        }
        return FlaggedSvmTrainer.train(new FlaggedSvmTrainer.SentenceGram(vectors, DIMS), new FlaggedSvmTrainer.NgramGram(tf, rows), y, 2, 42);
    }

    private static String sentence(Random r) {
        StringBuilder s = new StringBuilder("the");
        for (int k = 0; k < 5; k++) {
            s.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
        }
        return s.toString();
    }

    private static float[] noise(Random r) {
        float[] v = new float[DIMS];
        for (int k = 0; k < DIMS; k++) {
            v[k] = (float) r.nextGaussian();
        }
        return v;
    }
}
