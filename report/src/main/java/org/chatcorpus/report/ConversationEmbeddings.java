package org.chatcorpus.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.chatcorpus.core.io.ConversationVectors;
import org.chatcorpus.report.PromptSampler.Prompt;

/**
 * The topic sample's prompt embeddings turned into one vector per conversation for the explorer's
 * "similar conversations": the mean of the conversation's sampled prompts' vectors (usually one
 * prompt), L2-normalised, written as {@link ConversationVectors} stamped with the embedding model and
 * the release's digest. Only conversations with a sampled prompt have a vector: English prompts of
 * 32 to 1,536 characters, de-duplicated, up to {@code --sample} of them.
 */
final class ConversationEmbeddings {
    private ConversationEmbeddings() {
    }

    /** Writes {@code file}; returns how many conversations got a vector. */
    static int write(Path file, TopicClustering.Result topics, String releaseDigest) throws IOException {
        List<Prompt> prompts = topics.prompts();
        float[][] x = topics.vectors();
        TreeMap<String, float[]> sums = new TreeMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            float[] v = x[i];
            float[] sum = sums.computeIfAbsent(prompts.get(i).conversationId(), k -> new float[v.length]);
            for (int j = 0; j < v.length; j++) {
                sum[j] += v[j];
            }
        }
        for (float[] v : sums.values()) {
            double sq = 0;
            for (float f : v) {
                sq += (double) f * f;
            }
            if (sq > 0) {
                float inv = (float) (1 / Math.sqrt(sq));
                for (int j = 0; j < v.length; j++) {
                    v[j] *= inv;
                }
            }
        }
        ConversationVectors.write(file, topics.model(), releaseDigest, sums);
        return sums.size();
    }
}
