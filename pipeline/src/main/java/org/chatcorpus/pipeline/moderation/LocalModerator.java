package org.chatcorpus.pipeline.moderation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.model.Moderation;

/**
 * An offline moderation model trained by {@code chatcorpus train-moderation}: the hashed n-gram
 * model ({@link ModerationModel}) or the sentence-embedding model ({@link EmbeddingModerationModel}).
 * Implementations are read-only after loading and safe to share between threads.
 */
public interface LocalModerator {
    /** One result per text, in order. */
    List<Moderation> moderate(List<String> texts);

    /** The model's provenance: kind, training data with hashes, configuration, measured metrics. */
    ObjectNode header();

    /**
     * One line for people (dataset card, provenance, reports): the kind, the training data's file
     * names and the measured flagged F1, e.g. "embedding model (all-MiniLM-L6-v2-static + logistic
     * regression) trained on openai-moderation-dev.jsonl.gz; flagged F1 0.629 (5-fold)".
     */
    default String describe() {
        ObjectNode h = header();
        StringBuilder sb = new StringBuilder(h.path("kind_name").asText("n-gram model (hashed word 1-2-grams + logistic regression)"));
        StringBuilder files = new StringBuilder();
        h.path("training_data").forEach(n -> files.append(files.length() == 0 ? "" : ", ")
                .append(Path.of(n.path("path").asText()).getFileName()));
        if (files.length() > 0) {
            sb.append(" trained on ").append(files);
        }
        var cv = h.path("cv_metrics").path("flagged");
        var held = h.path("held_out_metrics").path("flagged");
        if (cv.has("f1")) {
            sb.append("; flagged F1 ").append(cv.get("f1").asText()).append(" (").append(h.path("config").path("folds").asInt(5)).append("-fold)");
        } else if (held.has("f1")) {
            sb.append("; flagged F1 ").append(held.get("f1").asText()).append(" (held-out ")
                    .append(h.path("held_out_examples").asText()).append(" texts)");
        }
        return sb.toString();
    }

    /** Loads either kind, recognised by the file's magic number. */
    static LocalModerator load(Path file) throws IOException {
        int magic;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file))))) {
            magic = in.readInt();
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IOException(file + " is not a chatcorpus moderation model (train one with `chatcorpus train-moderation`)", e);
        }
        if (magic == EmbeddingModerationModel.MAGIC) {
            return EmbeddingModerationModel.load(file);
        }
        return ModerationModel.load(file);
    }
}
