package org.chatcorpus.embed;

import java.util.List;
import org.chatcorpus.core.progress.Progress;

/** Turns texts (prompts, messages) into L2-normalised sentence vectors: for topic clustering, moderation and preference features. Implementations are thread-safe. */
public interface PromptEmbedder {
    /** Names the model; part of the embedding cache key. */
    String name();

    /** One L2-normalised vector per text, in order; advances {@code progress} per text. */
    float[][] embed(List<String> texts, Progress progress);

    /** Scales a vector to unit length in place (a zero vector stays zero). */
    static float[] normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        if (s > 0) {
            float inv = (float) (1 / Math.sqrt(s));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }
}
