package org.chatcorpus.pipeline.moderation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.chatcorpus.core.ChatCorpusVersion;
import org.chatcorpus.core.io.Quarantine;

/**
 * Trains, evaluates on a seeded held-out split, and saves the offline moderation model with its
 * provenance (inputs with SHA-256, configuration, seed, held-out metrics) inside the file.
 */
public final class ModerationTrainer {
    public static final int EPOCHS = 8;
    public static final double L2 = 1e-6;

    private ModerationTrainer() {
    }

    public record Result(ModerationModel model, ObjectNode heldOutMetrics, int trainSize, int testSize) {
    }

    /** The inputs held no readable labeled text: nothing to train on. */
    public static final class NoLabeledTexts extends IOException {
        NoLabeledTexts(String message) {
            super(message);
        }
    }

    public static Result train(List<Path> inputs, double holdout, long seed, Quarantine quarantine) throws IOException {
        List<LabeledText> all = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        ObjectNode header = m.createObjectNode();
        header.put("kind", "chatcorpus moderation model: per-category logistic regression over hashed word 1-2-grams");
        header.put("chatcorpus_version", ChatCorpusVersion.get());
        ArrayNode in = header.putArray("training_data");
        for (Path p : inputs) {
            all.addAll(TrainingData.read(p, quarantine));
            in.addObject().put("path", p.toAbsolutePath().toString()).put("bytes", Files.size(p)).put("sha256", sha256(p));
        }
        if (all.isEmpty()) {
            throw new NoLabeledTexts("no labeled texts in " + inputs);
        }
        Collections.shuffle(all, new Random(seed));
        int test = (int) Math.round(all.size() * holdout);
        List<LabeledText> testSet = all.subList(0, test);
        List<LabeledText> trainSet = all.subList(test, all.size());
        ObjectNode cfg = header.putObject("config");
        cfg.put("epochs", EPOCHS).put("l2", L2).put("hash_bits", Features.BITS).put("holdout", holdout).put("seed", seed);
        header.put("train_examples", trainSet.size());
        header.put("held_out_examples", testSet.size());
        ModerationModel model = ModerationModel.train(trainSet, EPOCHS, L2, seed, header);
        ObjectNode metrics = model.evaluate(testSet);
        header.set("held_out_metrics", metrics);
        return new Result(model, metrics, trainSet.size(), testSet.size());
    }

    /**
     * 5-fold cross-validated metrics of the n-gram model on these texts, on the same folds as
     * {@link EmbeddingModerationTrainer#crossValidate}, so the two kinds compare on the same held-out texts.
     */
    public static ObjectNode crossValidate(List<LabeledText> data, long seed) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            all.add(i);
        }
        ModerationMetrics metrics = new ModerationMetrics();
        for (List<Integer>[] fold : EmbeddingModerationTrainer.folds(all, seed)) {
            List<LabeledText> train = fold[0].stream().map(data::get).toList();
            ModerationModel m = ModerationModel.train(train, EPOCHS, L2, seed, new ObjectMapper().createObjectNode());
            for (int i : fold[1]) {
                metrics.add(m.moderate(data.get(i).text()), data.get(i).labels());
            }
        }
        return metrics.toJson();
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(in.readAllBytes());
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
