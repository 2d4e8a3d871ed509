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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.embed.MiniLmEmbedder;

/**
 * The embedding moderation model: each message becomes an all-MiniLM-L6-v2 sentence vector (the
 * int8 model by default); one logistic regression over it decides "flagged" (trained on "any
 * category"), and one per category names the categories of a flagged message, each with a decision
 * threshold chosen on out-of-fold scores of the training data. A per-category union would flag
 * whatever any of eight noisy classifiers fires on; one flagged classifier is far more precise.
 * Categories without labeled positives stay off. Unlike the n-gram model it
 * judges meaning rather than words, so "Hello, how are you?" is far from every category.
 *
 * <p>Saved as one gzip file: magic "CCME", a JSON header (provenance: training data with hashes,
 * embedder, configuration, cross-validated metrics), then per category its weights, bias and
 * threshold.
 */
public final class EmbeddingModerationModel implements LocalModerator {
    static final int MAGIC = 0x43434d45; // "CCME"
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Messages are judged on their first characters: MiniLM reads 256 word pieces, and the cost of
     * a message grows with its length, so a long answer would otherwise dominate a release's time.
     */
    public static final int MAX_CHARS = 1000;

    private final String embedderName;
    /** Index of the "flagged" classifier, after the categories. */
    static final int FLAGGED = ModerationCategory.COUNT;
    private final LogisticFit[] fits; // per category, then flagged; null for one without labels
    private final float[] threshold;
    private final ObjectNode header;
    private final MiniLmEmbedder embedder;

    EmbeddingModerationModel(String embedderName, LogisticFit[] fits, float[] threshold, ObjectNode header) {
        this.embedderName = embedderName;
        this.fits = fits.clone();
        this.threshold = threshold.clone();
        this.header = header;
        // One thread: callers (curate's workers, moderation-eval) already run one batch per core.
        this.embedder = new MiniLmEmbedder(1, quantized(embedderName));
    }

    static boolean quantized(String embedderName) {
        return switch (embedderName) {
            case "minilm-q" -> true;
            case "minilm" -> false;
            default -> throw new IllegalArgumentException("unknown embedder '" + embedderName + "'; known: minilm, minilm-q");
        };
    }

    @Override
    public ObjectNode header() {
        return header;
    }

    public String embedderName() {
        return embedderName;
    }

    @Override
    public List<Moderation> moderate(List<String> texts) {
        float[][] vectors = embedder.embed(clip(texts), Progress.silent("moderate"));
        List<Moderation> out = new ArrayList<>(texts.size());
        for (float[] v : vectors) {
            out.add(moderate(v));
        }
        return out;
    }

    Moderation moderate(float[] vector) {
        boolean[] cats = new boolean[ModerationCategory.COUNT];
        double[] scores = new double[ModerationCategory.COUNT];
        boolean flagged = fits[FLAGGED] != null && fits[FLAGGED].score(vector) >= threshold[FLAGGED];
        int top = -1;
        for (int c = 0; c < ModerationCategory.COUNT; c++) {
            if (fits[c] == null) {
                continue;
            }
            scores[c] = fits[c].score(vector);
            cats[c] = flagged && scores[c] >= threshold[c];
            if (top < 0 || scores[c] / threshold[c] > scores[top] / threshold[top]) {
                top = c;
            }
        }
        if (flagged && top >= 0) {
            cats[top] = true; // a flagged message names at least the category closest to its threshold
        }
        return new Moderation(cats, scores, flagged);
    }

    static List<String> clip(List<String> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            String s = t.length() > MAX_CHARS ? t.substring(0, MAX_CHARS) : t;
            out.add(s.isBlank() ? "." : s); // the tokenizer needs a token; a blank message is harmless
        }
        return out;
    }

    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".inprogress");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(tmp)), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(embedderName);
            byte[] h = JSON.writeValueAsBytes(header);
            out.writeInt(h.length);
            out.write(h);
            for (int c = 0; c <= FLAGGED; c++) {
                out.writeBoolean(fits[c] != null);
                if (fits[c] != null) {
                    out.writeFloat(threshold[c]);
                    out.writeFloat(fits[c].bias());
                    out.writeInt(fits[c].weights().length);
                    for (float f : fits[c].weights()) {
                        out.writeFloat(f);
                    }
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static EmbeddingModerationModel load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file)), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a chatcorpus embedding moderation model");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": embedding model format version " + version + ", expected " + VERSION
                        + "; retrain it with `chatcorpus train-moderation --kind embedding`");
            }
            String embedder = in.readUTF();
            byte[] h = new byte[in.readInt()];
            in.readFully(h);
            ObjectNode header = (ObjectNode) JSON.readTree(new String(h, StandardCharsets.UTF_8));
            LogisticFit[] fits = new LogisticFit[FLAGGED + 1];
            float[] threshold = new float[FLAGGED + 1];
            for (int c = 0; c <= FLAGGED; c++) {
                if (in.readBoolean()) {
                    threshold[c] = in.readFloat();
                    float bias = in.readFloat();
                    float[] w = new float[in.readInt()];
                    for (int k = 0; k < w.length; k++) {
                        w[k] = in.readFloat();
                    }
                    fits[c] = new LogisticFit(w, bias);
                }
            }
            return new EmbeddingModerationModel(embedder, fits, threshold, header);
        } catch (java.util.zip.ZipException | java.io.EOFException | IllegalArgumentException e) {
            throw new IOException(file + " is not a complete chatcorpus embedding moderation model: " + e.getMessage(), e);
        }
    }
}
