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
import org.chatcorpus.embed.MiniLmEmbedder;
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
     * precision more: the samples are 30% toxic, real chat about 5%. Measured with the earlier
     * logistic flagged classifier (static embedder, 5 folds; MT-bench / ShareGPT conversations
     * flagged): F0.5 0.570 (0/80, 0/500), F0.7 0.629 (0/80, 12/500), F1 0.645 (1/80, 175/500); with
     * the SVM, F0.7 0.695 (1/80, 0/500), F1 0.698 (1/80, 0/500), F0.85 with C 3 0.687.
     */
    static final double FLAGGED_BETA = 0.7;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddingModerationTrainer() {
    }

    public record Result(EmbeddingModerationModel model, ObjectNode cvMetrics, int examples) {
    }

    /** The per-category fits, the flagged classifier and the thresholds learned from some rows. */
    record Fitted(LogisticFit[] fits, FlaggedCascade flagged, float[] thresholds) {
    }

    /**
     * What the classifiers read of each text: its sentence vector, its character n-grams, and for
     * the second opinion MiniLM's contextual vector (null without one), with their kernels' dot products.
     */
    record Inputs(float[][] vectors, CharNgrams.Sparse[] ngrams, FlaggedSvmTrainer.SentenceGram gram,
                  float[][] contextual, FlaggedSvmTrainer.SentenceGram contextualGram) {
        static Inputs of(float[][] vectors, float[][] contextual, List<String> clippedTexts) {
            CharNgrams.Sparse[] ngrams = new CharNgrams.Sparse[clippedTexts.size()];
            for (int i = 0; i < ngrams.length; i++) {
                ngrams[i] = CharNgrams.termFrequencies(clippedTexts.get(i));
            }
            return new Inputs(vectors, ngrams, new FlaggedSvmTrainer.SentenceGram(vectors, StaticMiniLmEmbedder.DIMENSIONS), contextual,
                    contextual == null ? null : new FlaggedSvmTrainer.SentenceGram(contextual, StaticMiniLmEmbedder.DIMENSIONS));
        }
    }

    /** As {@link #train(List, String, boolean, long, Quarantine)}, with a second opinion exactly when the embedder is the static one. */
    public static Result train(List<Path> inputs, String embedderName, long seed, Quarantine quarantine) throws IOException {
        return train(inputs, embedderName, embedderName.equals(EmbeddingModerationModel.STATIC), seed, quarantine);
    }

    /**
     * Trains on labeled files; {@code secondOpinion} adds the judge of {@link FlaggedCascade} (MiniLM
     * run on the messages the static screen lets through).
     */
    public static Result train(List<Path> inputs, String embedderName, boolean secondOpinion, long seed, Quarantine quarantine) throws IOException {
        EmbeddingModerationModel.displayName(embedderName); // an unknown embedder fails before any reading
        ObjectNode header = JSON.createObjectNode();
        header.put("kind", "chatcorpus moderation model: " + EmbeddingModerationModel.displayName(embedderName)
                + " sentence embeddings; flagged by an SVM (LIBSVM) on an RBF kernel of them plus a TF-IDF kernel of character"
                + " 3-5-grams; categories by per-category logistic regression (Tribuo linear SGD)");
        header.put("kind_name", "embedding model (" + EmbeddingModerationModel.displayName(embedderName) + " + char n-grams, SVM"
                + (secondOpinion ? "; " + MiniLmEmbedder.NAME_QUANTIZED + " second opinion)" : ")"));
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
        List<LabeledText> normal = normalMessages();
        int read = data.size();
        data = sample(data, FlaggedSvmTrainer.MAX_ROWS - normal.size(), seed);
        if (data.size() < read) {
            header.put("sampled", data.size() + " of " + read + " labeled texts: every text with a category labeled 1 up to half,"
                    + " the rest texts without, each a seeded sample (the flagged SVM's kernel grows with the square of its rows)");
        }
        int labeledCount = data.size();
        data.addAll(normal);
        StaticMiniLmEmbedder table = table(embedderName);
        Inputs x = embed(data, embedderName, table, secondOpinion);
        ObjectNode cfg = header.putObject("config");
        cfg.put("embedder", embedderName).put("max_chars", EmbeddingModerationModel.MAX_CHARS).put("folds", FOLDS)
                .put("epochs", LogisticFit.EPOCHS).put("learning_rate", LogisticFit.LEARNING_RATE)
                .put("max_positive_weight", MAX_POSITIVE_WEIGHT).put("threshold", "categories: best F1 on out-of-fold scores; flagged: its own classifier, best F" + FLAGGED_BETA).put("seed", seed)
                .put("flagged_classifier", "C-SVC (LIBSVM) on exp(gamma (u.v - 1)) + w * tfidf_char_3_5(u).tfidf_char_3_5(v);"
                        + " gamma in " + java.util.Arrays.toString(FlaggedSvmTrainer.GAMMAS) + ", w in " + java.util.Arrays.toString(FlaggedSvmTrainer.NGRAM_WEIGHTS)
                        + ", C in " + java.util.Arrays.toString(FlaggedSvmTrainer.CS) + " chosen by inner folds of the training rows")
                .put("second_opinion", secondOpinion ? MiniLmEmbedder.NAME_QUANTIZED + " (int8) judges the messages the screen scores at"
                        + " least the score that passes " + FlaggedCascade.ESCALATED_RECALL + " of the toxic training messages (out of fold)" : "none");
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
    static ObjectNode crossValidate(Inputs x, List<LabeledText> data, int labeledCount, long seed) {
        ModerationMetrics metrics = new ModerationMetrics();
        List<Integer> normal = allRows(labeledCount, data.size());
        for (List<Integer>[] fold : folds(allRows(0, labeledCount), seed)) {
            List<Integer> train = new ArrayList<>(fold[0]);
            train.addAll(normal);
            // Only the fits score here (on the precomputed vectors): no embedder is needed.
            Fitted f = fit(x, data, train, seed);
            EmbeddingModerationModel m = model("minilm-q", null, f, JSON.createObjectNode());
            for (int i : fold[1]) {
                boolean flagged = f.flagged() != null
                        && f.flagged().flagged(x.vectors()[i], x.contextual() == null ? null : x.contextual()[i], x.ngrams()[i]);
                metrics.add(m.moderate(x.vectors()[i], flagged), data.get(i).labels());
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

    /**
     * At most {@code limit} of the labeled texts, in their order: those with a category labeled 1
     * (flagged) up to half, then those without, each a seeded sample; texts with no category labeled
     * teach nothing and are left out. A release's own tags can give millions of messages, and every kept
     * text is embedded (by the transformer too, for the second opinion) and enters the flagged SVM,
     * whose kernel grows with the square of its rows. The paper's recipe is the same shape: flagged
     * messages plus normal ones.
     */
    static List<LabeledText> sample(List<LabeledText> data, int limit, long seed) {
        if (data.size() <= limit) {
            return data;
        }
        byte[] y = new byte[data.size()];
        List<Integer> labeled = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            y[i] = flaggedLabel(data.get(i).labels());
            if (y[i] >= 0) {
                labeled.add(i);
            }
        }
        List<Integer> positives = new ArrayList<>();
        List<Integer> negatives = new ArrayList<>();
        for (int i : labeled) {
            (y[i] == 1 ? positives : negatives).add(i);
        }
        Random random = new Random(seed);
        Collections.shuffle(positives, random);
        Collections.shuffle(negatives, random);
        int keepPositives = Math.min(positives.size(), limit / 2);
        int keepNegatives = Math.min(negatives.size(), limit - keepPositives);
        keepPositives = Math.min(positives.size(), limit - keepNegatives);
        java.util.Set<Integer> keep = new java.util.HashSet<>(positives.subList(0, keepPositives));
        keep.addAll(negatives.subList(0, keepNegatives));
        List<LabeledText> out = new ArrayList<>(keep.size());
        for (int i : labeled) {
            if (keep.contains(i)) {
                out.add(data.get(i));
            }
        }
        return out;
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
        return new EmbeddingModerationModel(embedderName, table, f.fits(), f.flagged(), f.thresholds(), header);
    }

    static Inputs embed(List<LabeledText> data, String embedderName, StaticMiniLmEmbedder table, boolean secondOpinion) {
        List<String> texts = new ArrayList<>(data.size());
        data.forEach(t -> texts.add(t.text()));
        List<String> clipped = EmbeddingModerationModel.clip(texts);
        PromptEmbedder embedder = EmbeddingModerationModel.embedder(embedderName, table, Runtime.getRuntime().availableProcessors());
        float[][] vectors;
        try (Progress progress = Progress.start("embed", texts.size())) {
            vectors = EmbeddingModerationModel.vectors(embedder, clipped, progress);
        }
        float[][] contextual = null;
        if (secondOpinion) {
            try (Progress progress = Progress.start("embed with MiniLM for the second opinion", texts.size())) {
                contextual = new MiniLmEmbedder(Runtime.getRuntime().availableProcessors(), FlaggedCascade.JUDGE_INT8).embed(clipped, progress);
            }
        }
        return Inputs.of(vectors, contextual, clipped);
    }

    /**
     * Every category with enough labeled positives among {@code rows}, plus "flagged" (any
     * category): a fit on them all and a threshold from out-of-fold scores.
     */
    static Fitted fit(Inputs x, List<LabeledText> data, List<Integer> rows, long seed) {
        LogisticFit[] fits = new LogisticFit[ModerationCategory.COUNT + 1];
        float[] thresholds = new float[ModerationCategory.COUNT + 1];
        for (int c = 0; c < ModerationCategory.COUNT; c++) {
            byte[] y = new byte[data.size()];
            for (int i : rows) {
                y[i] = data.get(i).labels()[c];
            }
            fitOne(x.vectors(), y, rows, seed * 31 + c, fits, thresholds, c);
        }
        byte[] y = new byte[data.size()];
        for (int i : rows) {
            y[i] = flaggedLabel(data.get(i).labels());
        }
        LabeledRows labeled = LabeledRows.of(y, rows);
        if (!labeled.learnable()) {
            return new Fitted(fits, null, thresholds); // nothing to learn "flagged" from: nothing is flagged
        }
        FlaggedCascade flagged = FlaggedSvmTrainer.cascade(x.gram(), x.contextualGram(), x.ngrams(), y, labeled.rows(),
                labeled.positiveWeight(), seed * 31 + ModerationCategory.COUNT);
        return new Fitted(fits, flagged, thresholds);
    }

    /** The rows whose label is known (0 or 1), and how many are 1. */
    record LabeledRows(List<Integer> rows, int positives) {
        static LabeledRows of(byte[] y, List<Integer> rows) {
            List<Integer> labeled = new ArrayList<>();
            int positives = 0;
            for (int i : rows) {
                if (y[i] >= 0) {
                    labeled.add(i);
                    positives += y[i];
                }
            }
            return new LabeledRows(labeled, positives);
        }

        /** Enough positives to learn from and to choose a threshold on, and some negatives. */
        boolean learnable() {
            return positives >= FOLDS && positives < rows.size();
        }

        /** Positives weigh as many negatives as there are per positive, at most {@link #MAX_POSITIVE_WEIGHT}. */
        double positiveWeight() {
            return Math.min(MAX_POSITIVE_WEIGHT, (rows.size() - positives) / (double) positives);
        }
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
        LabeledRows known = LabeledRows.of(y, rows);
        if (!known.learnable()) {
            return; // too few examples to learn or to choose a threshold: the category stays off
        }
        List<Integer> labeled = known.rows();
        double weight = known.positiveWeight();
        double[] oof = new double[y.length];
        for (List<Integer>[] fold : folds(labeled, seed)) {
            LogisticFit f = LogisticFit.fit(x, y, fold[0], weight, seed);
            for (int i : fold[1]) {
                oof[i] = f.score(x[i]);
            }
        }
        fits[c] = LogisticFit.fit(x, y, labeled, weight, seed);
        thresholds[c] = Thresholds.bestF1(oof, y, labeled); // flagged (FlaggedSvmTrainer) favours precision; categories keep F1
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
