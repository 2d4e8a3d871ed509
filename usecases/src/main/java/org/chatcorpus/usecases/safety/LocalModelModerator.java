package org.chatcorpus.usecases.safety;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.pipeline.moderation.LocalModerator;

/** A model from {@code train-moderation} (either kind), run in batches of 64 on the calling thread. */
final class LocalModelModerator implements Moderator {
    private static final int BATCH = 64;
    private final String name;
    private final LocalModerator model;

    LocalModelModerator(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("moderation model " + file + " does not exist; train one with `chatcorpus train-moderation DATA --out MODEL`");
        }
        this.name = "local=" + file.getFileName();
        this.model = LocalModerator.load(file);
    }

    @Override
    public String name() {
        return name;
    }

    /** What the model is, for tables: kind, training data, measured F1. */
    String describe() {
        return model.describe();
    }

    @Override
    public List<Verdict> judge(List<String> texts) {
        List<Verdict> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += BATCH) {
            for (Moderation m : model.moderate(texts.subList(from, Math.min(texts.size(), from + BATCH)))) {
                out.add(Verdict.of(m));
            }
        }
        return out;
    }
}
