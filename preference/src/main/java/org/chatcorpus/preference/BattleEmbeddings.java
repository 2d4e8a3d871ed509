package org.chatcorpus.preference;

import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.report.EmbeddingCache;
import org.chatcorpus.embed.MiniLmEmbedder;

/**
 * Sentence embeddings of each battle's prompt and two responses, from the all-MiniLM-L6-v2 model
 * the report module runs (inside the langchain4j jar, CPU, offline). "none" gives no embeddings.
 */
public final class BattleEmbeddings {
    public static final List<String> NAMES = List.of("minilm-q", "minilm", "none");

    private BattleEmbeddings() {
    }

    /** {prompt, a, b} unit vectors per battle, or null for "none". */
    public static float[][][] of(List<Battle> battles, String embedder) {
        try {
            return of(battles, embedder, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * As {@link #of(List, String)}, reusing {@code cache} (the report's embedding cache file, keyed
     * by model and texts) when it holds these texts, and writing it otherwise; null: no cache.
     */
    public static float[][][] of(List<Battle> battles, String embedder, java.nio.file.Path cache) throws java.io.IOException {
        if (embedder.equals("none")) {
            return null;
        }
        List<String> texts = new ArrayList<>(battles.size() * 3);
        for (Battle b : battles) {
            for (String t : PreferenceFeatures.texts(b)) {
                // The embedding model refuses blank text; an empty answer is embedded as this word.
                texts.add(t.isBlank() ? "(empty)" : t);
            }
        }
        MiniLmEmbedder model = MiniLmEmbedder.named(embedder);
        byte[] key = EmbeddingCache.key(model.name(), texts);
        float[][] flat = cache == null ? null : EmbeddingCache.load(cache, key);
        if (flat == null) {
            try (Progress p = Progress.start("embedding", texts.size())) {
                flat = model.embed(texts, p);
            }
            if (cache != null) {
                EmbeddingCache.save(cache, key, flat);
            }
        }
        float[][][] out = new float[battles.size()][][];
        for (int i = 0; i < battles.size(); i++) {
            out[i] = new float[][] {flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]};
        }
        return out;
    }

    public static int dims(String embedder) {
        return embedder.equals("none") ? 0 : 384;
    }
}
