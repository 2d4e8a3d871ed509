package org.chatcorpus.pipeline.moderation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * An offline moderation model: one logistic regression per moderation category over hashed word
 * unigrams and bigrams, each with its own decision threshold (chosen for F1 on out-of-fold scores of the training data);
 * a message is flagged when any category is. Categories without any labeled example score 0.
 * Saved as one gzip file: a JSON header (its provenance: training data, configuration, seed,
 * held-out metrics) followed by the weights.
 */
public final class ModerationModel implements LocalModerator {
    private static final int MAGIC = 0x43434d4d; // "CCMM"
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final float[][] weights; // [category][bucket], null when the category had no labels
    private final float[] bias;
    private final float[] threshold;
    private final ObjectNode header;

    private ModerationModel(float[][] weights, float[] bias, float[] threshold, ObjectNode header) {
        this.weights = weights;
        this.bias = bias;
        this.threshold = threshold;
        this.header = header;
    }

    @Override
    public ObjectNode header() {
        return header;
    }

    /** Scores and decisions for one text. */
    public Moderation moderate(String text) {
        Features.Vector v = Features.of(text);
        boolean[] cats = new boolean[ModerationCategory.COUNT];
        double[] scores = new double[ModerationCategory.COUNT];
        boolean flagged = false;
        for (int c = 0; c < ModerationCategory.COUNT; c++) {
            if (weights[c] == null) {
                continue;
            }
            double z = bias[c];
            for (int k = 0; k < v.index().length; k++) {
                z += weights[c][v.index()[k]] * v.value()[k];
            }
            scores[c] = 1 / (1 + Math.exp(-z));
            cats[c] = scores[c] >= threshold[c];
            flagged |= cats[c];
        }
        return new Moderation(cats, scores, flagged);
    }

    /** Trains on labeled texts (seeded, deterministic). */
    public static ModerationModel train(List<LabeledText> data, int epochs, double l2, long seed, ObjectNode header) {
        List<Features.Vector> x = new ArrayList<>(data.size());
        for (LabeledText t : data) {
            x.add(Features.of(t.text()));
        }
        float[][] w = new float[ModerationCategory.COUNT][];
        float[] b = new float[ModerationCategory.COUNT];
        float[] thr = new float[ModerationCategory.COUNT];
        for (int c = 0; c < ModerationCategory.COUNT; c++) {
            List<Integer> rows = new ArrayList<>();
            long positives = 0;
            for (int i = 0; i < data.size(); i++) {
                byte y = data.get(i).labels()[c];
                if (y >= 0) {
                    rows.add(i);
                    positives += y;
                }
            }
            if (rows.isEmpty() || positives == 0) {
                continue; // nothing to learn from: the category stays off
            }
            // The threshold is chosen on out-of-fold scores: on its own training rows a model is
            // overconfident, and a threshold picked there flags far too much on new text.
            double[] oof = new double[data.size()];
            List<Integer> shuffled = new ArrayList<>(rows);
            Collections.shuffle(shuffled, new Random(seed * 17 + c));
            for (int f = 0; f < FOLDS; f++) {
                List<Integer> fit = new ArrayList<>();
                List<Integer> held = new ArrayList<>();
                for (int i = 0; i < shuffled.size(); i++) {
                    (i % FOLDS == f ? held : fit).add(shuffled.get(i));
                }
                Fit m = fit(x, data, fit, c, epochs, l2, seed);
                for (int i : held) {
                    oof[i] = m.score(x.get(i));
                }
            }
            Fit all = fit(x, data, rows, c, epochs, l2, seed);
            w[c] = all.w;
            b[c] = (float) all.b;
            thr[c] = bestThreshold(oof, data, rows, c);
        }
        return new ModerationModel(w, b, thr, header);
    }

    static final int FOLDS = 5;

    /** One category's logistic regression: weights over hashed features and a bias. */
    private record Fit(float[] w, double b) {
        double score(Features.Vector v) {
            double z = b;
            for (int k = 0; k < v.index().length; k++) {
                z += w[v.index()[k]] * v.value()[k];
            }
            return 1 / (1 + Math.exp(-z));
        }
    }

    /** AdaGrad logistic regression on these rows, positives weighted up (they are rare). */
    private static Fit fit(List<Features.Vector> x, List<LabeledText> data, List<Integer> rowsIn, int c, int epochs, double l2, long seed) {
        List<Integer> rows = new ArrayList<>(rowsIn);
        long positives = 0;
        for (int i : rows) {
            positives += data.get(i).labels()[c];
        }
        float[] wc = new float[Features.SIZE];
        double bc = Math.log((positives + 1.0) / (rows.size() - positives + 1.0));
        // Positives are rare: weight them up so the model does not learn "never".
        double posWeight = Math.min(20, (rows.size() - positives) / (double) Math.max(1, positives));
        Random rnd = new Random(seed * 31 + c);
        float[] g2 = new float[Features.SIZE];
        double gb2 = 1e-8;
        for (int e = 0; e < epochs; e++) {
            Collections.shuffle(rows, rnd);
            for (int i : rows) {
                Features.Vector v = x.get(i);
                double z = bc;
                for (int k = 0; k < v.index().length; k++) {
                    z += wc[v.index()[k]] * v.value()[k];
                }
                double p = 1 / (1 + Math.exp(-z));
                int y = data.get(i).labels()[c];
                double g = (p - y) * (y == 1 ? posWeight : 1);
                for (int k = 0; k < v.index().length; k++) {
                    int j = v.index()[k];
                    float gj = (float) (g * v.value()[k] + l2 * wc[j]);
                    g2[j] += gj * gj;
                    wc[j] -= (float) (0.5 * gj / Math.sqrt(g2[j] + 1e-8)); // AdaGrad
                }
                gb2 += g * g;
                bc -= 0.5 * g / Math.sqrt(gb2);
            }
        }
        return new Fit(wc, bc);
    }

    /** The threshold with the best F1 of these (out-of-fold) scores. */
    private static float bestThreshold(double[] scores, List<LabeledText> data, List<Integer> rows, int c) {
        float best = 0.5f;
        double bestF1 = -1;
        for (int step = 2; step <= 98; step++) {
            float t = step / 100f;
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (int i : rows) {
                boolean pred = scores[i] >= t;
                boolean y = data.get(i).labels()[c] == 1;
                tp += pred && y ? 1 : 0;
                fp += pred && !y ? 1 : 0;
                fn += !pred && y ? 1 : 0;
            }
            double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = t;
            }
        }
        return best;
    }

    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".inprogress");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(tmp)), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            byte[] h = JSON.writeValueAsBytes(header);
            out.writeInt(h.length);
            out.write(h);
            for (int c = 0; c < ModerationCategory.COUNT; c++) {
                out.writeBoolean(weights[c] != null);
                out.writeFloat(bias[c]);
                out.writeFloat(threshold[c]);
                if (weights[c] != null) {
                    for (float f : weights[c]) {
                        out.writeFloat(f);
                    }
                }
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static ModerationModel load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file)), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a chatcorpus moderation model");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": model format version " + version + ", expected " + VERSION);
            }
            byte[] h = new byte[in.readInt()];
            in.readFully(h);
            ObjectNode header = (ObjectNode) JSON.readTree(new String(h, StandardCharsets.UTF_8));
            float[][] w = new float[ModerationCategory.COUNT][];
            float[] b = new float[ModerationCategory.COUNT];
            float[] t = new float[ModerationCategory.COUNT];
            for (int c = 0; c < ModerationCategory.COUNT; c++) {
                boolean present = in.readBoolean();
                b[c] = in.readFloat();
                t[c] = in.readFloat();
                if (present) {
                    w[c] = new float[Features.SIZE];
                    for (int k = 0; k < Features.SIZE; k++) {
                        w[c][k] = in.readFloat();
                    }
                }
            }
            return new ModerationModel(w, b, t, header);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IOException(file + " is not a complete chatcorpus moderation model: " + e.getMessage(), e);
        }
    }

    /** Per-category and flagged precision / recall / F1 on labeled data; unknown labels are skipped. */
    public ObjectNode evaluate(List<LabeledText> data) {
        ModerationMetrics metrics = new ModerationMetrics();
        for (LabeledText t : data) {
            metrics.add(moderate(t.text()), t.labels());
        }
        return metrics.toJson();
    }

    @Override
    public List<Moderation> moderate(List<String> texts) {
        List<Moderation> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(moderate(t));
        }
        return out;
    }
}
