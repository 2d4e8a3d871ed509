package org.chatcorpus.usecases.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.embed.PromptEmbedder;
import org.chatcorpus.report.PromptSampler;
import org.chatcorpus.report.TopicClustering;

/**
 * Do A's topics show up in B? A's sampled prompts are clustered as the report clusters them
 * (embeddings, seeded k-means, c-TF-IDF keywords); each cluster's centre is the mean of its
 * members' unit vectors; each of B's sampled prompts joins the centre it is most similar to
 * (cosine). The shares of each cluster in A and in B are the answer.
 */
final class TopicShares {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicShares() {
    }

    static ObjectNode compute(List<String> promptsA, List<String> promptsB, int k, long seed, PromptEmbedder embedder) {
        ObjectNode out = JSON.createObjectNode();
        out.put("k", k);
        out.put("embedder", embedder.name());
        out.put("sample_a", promptsA.size());
        out.put("sample_b", promptsB.size());
        var clusters = out.putArray("clusters");
        if (promptsA.isEmpty()) {
            return out;
        }
        float[][] xa;
        float[][] xb;
        try (Progress p = Progress.start("compare: embedding prompts", promptsA.size() + promptsB.size())) {
            xa = embedder.embed(promptsA, p);
            xb = promptsB.isEmpty() ? new float[0][] : embedder.embed(promptsB, p);
        }
        List<PromptSampler.Prompt> asPrompts = new ArrayList<>();
        for (int i = 0; i < promptsA.size(); i++) {
            asPrompts.add(new PromptSampler.Prompt("a-" + i, 0, promptsA.get(i), promptsA.get(i), i, i));
        }
        TopicClustering.Result r = TopicClustering.cluster(asPrompts, xa, k, seed, false, 0, embedder.name());
        int kk = r.topics().size();
        int dim = xa[0].length;
        float[][] centres = new float[kk][dim];
        for (int i = 0; i < xa.length; i++) {
            float[] c = centres[r.assignments()[i]];
            for (int d = 0; d < dim; d++) {
                c[d] += xa[i][d];
            }
        }
        for (float[] c : centres) {
            PromptEmbedder.normalise(c);
        }
        long[] countB = new long[kk];
        for (float[] v : xb) {
            int best = 0;
            double bestDot = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < kk; c++) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += v[d] * centres[c][d];
                }
                if (dot > bestDot) {
                    bestDot = dot;
                    best = c;
                }
            }
            countB[best]++;
        }
        for (TopicClustering.Topic t : r.topics()) {
            ObjectNode n = clusters.addObject();
            n.put("id", t.id());
            n.put("keywords", String.join(", ", t.keywords()));
            n.put("share_a", Math.round(t.size() * 1e4 / promptsA.size()) / 1e4);
            n.put("share_b", xb.length == 0 ? 0 : Math.round(countB[t.id()] * 1e4 / xb.length) / 1e4);
            n.put("example_a", t.examples().isEmpty() ? "" : t.examples().get(0).text());
        }
        return out;
    }
}
