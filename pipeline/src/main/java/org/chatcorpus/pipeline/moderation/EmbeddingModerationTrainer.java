package org.chatcorpus.pipeline.moderation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.chatcorpus.core.ChatCorpusVersion;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.embed.PromptEmbedder;
import org.chatcorpus.embed.StaticMiniLmEmbedder;

/**
 * Trains the {@link EmbeddingModerationModel} and measures it honestly: every text is embedded
 * once; the reported metrics are 5-fold cross-validated (each fold's model, thresholds included,
 * is trained on the other four folds only, its thresholds chosen on out-of-fold scores inside those
 * four); the saved model is then trained on everything the same way. About 250 bundled ordinary
 * chat messages ({@code normal-messages.txt}) join every training fold as clean examples, the
 * "normal messages" of the paper's recipe, and are never scored. Seeded and deterministic.
 */
public final class EmbeddingModerationTrainer {
    public static final int FOLDS = 5;
    /** Positives weigh at most this many negatives, so a category with 18 examples is not swamped. */
    static final double MAX_POSITIVE_WEIGHT = 10;
    /**
     * The F-beta whose best threshold on out-of-fold scores decides "flagged". Below 1 it weighs
     * precision more: the samples are 30% toxic, real chat about 5%. Measured (static embedder, 5
     * folds; MT-bench / ShareGPT conversations flagged): F0.5 0.570 (0/80, 0/500), F0.7 0.629 (0/80,
     * 12/500), F1 0.645 (1/80, 175/500, nearly all the one reply "You too!").
     */
    static final double FLAGGED_BETA = 0.7;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddingModerationTrainer() {
    }

    public record Result(EmbeddingModerationModel model, ObjectNode cvMetrics, int examples) {
    }

    /** The per-category fits and thresholds learned from some rows. */
    record Fitted(LogisticFit[] fits, float[] thresholds) {
    }

    public static Result train(List<Path> inputs, String embedderName, long seed, Quarantine quarantine) throws IOException {
        EmbeddingModerationModel.displayName(embedderName); // an unknown embedder fails before any reading
        ObjectNode header = JSON.createObjectNode();
        header.put("kind", "chatcorpus moderation model: " + EmbeddingModerationModel.displayName(embedderName)
                + " sentence embeddings + per-category logistic regression (Tribuo linear SGD)");
        header.put("kind_name", "embedding model (" + EmbeddingModerationModel.displayName(embedderName) + " + logistic regression)");
        header.put("chatcorpus_version", ChatCorpusVersion.get());
        ArrayNode in = header.putArray("training_data");
        List<LabeledText> data = new ArrayList<>();
        for (Path p : inputs) {
            data.addAll(TrainingData.read(p, quarantine));
            in.addObject().put("path", p.toAbsolutePath().toString()).put("bytes", Files.size(p)).put("sha256", ModerationTrainer.sha256(p));
        }
        if (data.isEmpty()) {
            throw new ModerationTrainer.NoLabeledTexts("no labeled texts in " + inputs);
        }
        int labeledCount = data.size();
        data.addAll(normalMessages());
        StaticMiniLmEmbedder table = table(embedderName);
        float[][] x = embed(data, embedderName, table);
        ObjectNode cfg = header.putObject("config");
        cfg.put("embedder", embedderName).put("max_chars", EmbeddingModerationModel.MAX_CHARS).put("folds", FOLDS)
                .put("epochs", LogisticFit.EPOCHS).put("learning_rate", LogisticFit.LEARNING_RATE)
                .put("max_positive_weight", MAX_POSITIVE_WEIGHT).put("threshold", "categories: best F1 on out-of-fold scores; flagged: its own classifier, best F" + FLAGGED_BETA).put("seed", seed);
        if (table != null) {
            cfg.put("static_table", "every MiniLM word piece embedded alone ([CLS] piece [SEP], mean-pooled), centred, weighted by log(2 + id), int8");
        }
        header.put("train_examples", labeledCount);
        header.put("normal_messages", data.size() - labeledCount);
        ObjectNode cv = crossValidate(x, data, labeledCount, seed);
        header.set("cv_metrics", cv);
        return new Result(model(embedderName, table, fit(x, data, allRows(0, data.size()), seed), header), cv, labeledCount);
    }

    /** The static embedder's table, distilled from MiniLM now (about a minute); null for the transformer embedders. */
    static StaticMiniLmEmbedder table(String embedderName) {
        if (!embedderName.equals(EmbeddingModerationModel.STATIC)) {
            return null;
        }
        try (Progress progress = Progress.start("distil MiniLM's word pieces", StaticMiniLmEmbedder.vocabularySize())) {
            return StaticMiniLmEmbedder.distil(progress);
        }
    }

    /**
     * Metrics of models trained on four folds and applied to the fifth, over the five folds of the
     * first {@code labeledCount} texts; the normal messages after them only ever train, never score.
     */
    static ObjectNode crossValidate(float[][] x, List<LabeledText> data, int labeledCount, long seed) {
        ModerationMetrics metrics = new ModerationMetrics();
        List<Integer> normal = allRows(labeledCount, data.size());
        for (List<Integer>[] fold : folds(allRows(0, labeledCount), seed)) {
            List<Integer> train = new ArrayList<>(fold[0]);
            train.addAll(normal);
            // Only the fits score here (on the precomputed vectors): no embedder is needed.
            EmbeddingModerationModel m = model("minilm-q", null, fit(x, data, train, seed), JSON.createObjectNode());
            for (int i : fold[1]) {
                metrics.add(m.moderate(x[i]), data.get(i).labels());
            }
        }
        return metrics.toJson();
    }

    private static List<Integer> allRows(int from, int to) {
        List<Integer> all = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            all.add(i);
        }
        return all;
    }

    /** The bundled ordinary chat messages, labeled clean in the eight categories OpenAI's samples label. */
    static List<LabeledText> normalMessages() throws IOException {
        List<LabeledText> out = new ArrayList<>();
        try (var in = EmbeddingModerationTrainer.class.getResourceAsStream("normal-messages.txt")) {
            if (in == null) {
                throw new IOException("normal-messages.txt is missing from the chatcorpus-pipeline jar");
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                byte[] labels = new byte[ModerationCategory.COUNT];
                java.util.Arrays.fill(labels, (byte) -1);
                for (ModerationCategory c : TrainingData.OPENAI_SAMPLE_LABELS.values()) {
                    labels[c.ordinal()] = 0;
                }
                out.add(new LabeledText(line.strip(), labels));
            }
        }
        return out;
    }

    static EmbeddingModerationModel model(String embedderName, StaticMiniLmEmbedder table, Fitted f, ObjectNode header) {
        return new EmbeddingModerationModel(embedderName, table, f.fits(), f.thresholds(), header);
    }

    static float[][] embed(List<LabeledText> data, String embedderName, StaticMiniLmEmbedder table) {
        List<String> texts = new ArrayList<>(data.size());
        data.forEach(t -> texts.add(t.text()));
        PromptEmbedder embedder = EmbeddingModerationModel.embedder(embedderName, table, Runtime.getRuntime().availableProcessors());
        try (Progress progress = Progress.start("embed", texts.size())) {
            return EmbeddingModerationModel.vectors(embedder, EmbeddingModerationModel.clip(texts), progress);
        }
    }

    /**
     * Every category with enough labeled positives among {@code rows}, plus "flagged" (any
     * category): a fit on them all and a threshold from out-of-fold scores.
     */
    static Fitted fit(float[][] x, List<LabeledText> data, List<Integer> rows, long seed) {
        LogisticFit[] fits = new LogisticFit[ModerationCategory.COUNT + 1];
        float[] thresholds = new float[ModerationCategory.COUNT + 1];
        for (int c = 0; c <= ModerationCategory.COUNT; c++) {
            byte[] y = new byte[data.size()];
            for (int i : rows) {
                y[i] = c == ModerationCategory.COUNT ? flaggedLabel(data.get(i).labels()) : data.get(i).labels()[c];
            }
            fitOne(x, y, rows, seed * 31 + c, fits, thresholds, c);
        }
        return new Fitted(fits, thresholds);
    }

    /** 1 when any category is 1, 0 when some are labeled and none is 1, -1 when none is labeled. */
    static byte flaggedLabel(byte[] labels) {
        byte out = -1;
        for (byte b : labels) {
            if (b == 1) {
                return 1;
            }
            if (b == 0) {
                out = 0;
            }
        }
        return out;
    }

    private static void fitOne(float[][] x, byte[] y, List<Integer> rows, long seed, LogisticFit[] fits, float[] thresholds, int c) {
        List<Integer> labeled = new ArrayList<>();
        int positives = 0;
        for (int i : rows) {
            if (y[i] >= 0) {
                labeled.add(i);
                positives += y[i];
            }
        }
        if (positives < FOLDS || positives == labeled.size()) {
            return; // too few examples to learn or to choose a threshold: the category stays off
        }
        double weight = Math.min(MAX_POSITIVE_WEIGHT, (labeled.size() - positives) / (double) positives);
        double[] oof = new double[y.length];
        for (List<Integer>[] fold : folds(labeled, seed)) {
            LogisticFit f = LogisticFit.fit(x, y, fold[0], weight, seed);
            for (int i : fold[1]) {
                oof[i] = f.score(x[i]);
            }
        }
        fits[c] = LogisticFit.fit(x, y, labeled, weight, seed);
        // Flagged is what curate and the safety tables use: its threshold favours precision (FLAGGED_BETA);
        // category thresholds keep F1.
        thresholds[c] = Thresholds.bestF(oof, y, labeled, c == ModerationCategory.COUNT ? FLAGGED_BETA : 1);
    }

    /** {@link #FOLDS} pairs of (fit rows, held rows) over a seeded shuffle of {@code rows}. */
    @SuppressWarnings("unchecked")
    static List<Integer>[][] folds(List<Integer> rows, long seed) {
        List<Integer> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(seed));
        List<Integer>[][] out = new List[FOLDS][2];
        for (int f = 0; f < FOLDS; f++) {
            out[f][0] = new ArrayList<>();
            out[f][1] = new ArrayList<>();
            for (int i = 0; i < shuffled.size(); i++) {
                out[f][i % FOLDS == f ? 1 : 0].add(shuffled.get(i));
            }
        }
        return out;
    }
}
