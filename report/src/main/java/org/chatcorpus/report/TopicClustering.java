package org.chatcorpus.report;

import org.chatcorpus.embed.PromptEmbedder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.report.PromptSampler.Prompt;

/**
 * Topic clusters of user prompts, as FastChat's topic_clustering.py: embed the sampled prompts
 * (L2-normalised), seeded k-means, clusters ordered by size (ids 0 = largest), c-TF-IDF keywords and
 * the prompts nearest each centre. Also a 2-D PCA map of (a sample of) the prompts and the
 * silhouette score on a sample.
 */
public final class TopicClustering {
    public static final int MAP_POINTS = 3000;
    public static final int SILHOUETTE_POINTS = 2000;
    public static final int EXAMPLES = 5;
    public static final int KEYWORDS = 10;
    public static final int MAX_ITERATIONS = 300;
    public static final double TOLERANCE = 1e-6;

    /** One example prompt of a topic. */
    public record Example(String conversationId, int messageIndex, String text) {
    }

    /** One cluster; {@code summary} is null unless a summariser was asked. */
    public record Topic(int id, int size, List<String> keywords, List<Example> examples, String summary) {
        public Topic withSummary(String s) {
            return new Topic(id, size, keywords, examples, s);
        }
    }

    /**
     * The clustering: topics ordered by size, the cluster of every sampled prompt, map coordinates
     * for the first {@code mapIndex.length} prompts, and the prompts' (L2-normalised) embeddings.
     */
    public record Result(List<Topic> topics, List<Prompt> prompts, int[] assignments, double[][] map, int[] mapIndex,
            double silhouette, int iterations, boolean cached, double embedSeconds, String model, float[][] vectors) {
    }

    private TopicClustering() {
    }

    public static Result run(List<Prompt> prompts, int k, long seed, PromptEmbedder embedder, Path cacheFile, Progress progress)
            throws IOException {
        List<String> texts = prompts.stream().map(Prompt::text).toList();
        float[][] x = null;
        byte[] key = EmbeddingCache.key(embedder.name(), texts);
        boolean cached = false;
        long t0 = System.nanoTime();
        if (cacheFile != null) {
            x = EmbeddingCache.load(cacheFile, key);
            cached = x != null;
        }
        if (x == null) {
            x = embedder.embed(texts, progress);
            if (cacheFile != null) {
                EmbeddingCache.save(cacheFile, key, x);
            }
        }
        double embedSeconds = (System.nanoTime() - t0) / 1e9;
        return cluster(prompts, x, k, seed, cached, embedSeconds, embedder.name());
    }

    /** Clusters vectors already computed (one per prompt). */
    public static Result cluster(List<Prompt> prompts, float[][] x, int k, long seed, boolean cached, double embedSeconds,
            String model) {
        int n = prompts.size();
        if (n == 0 || k <= 0) {
            return new Result(List.of(), prompts, new int[n], new double[0][], new int[0], Double.NaN, 0, cached, embedSeconds,
                    model, x);
        }
        int kk = Math.min(k, n);
        KMeans.Result km = KMeans.fit(x, kk, seed, MAX_ITERATIONS, TOLERANCE);
        // Order clusters by size (largest first, ties by original id) and renumber.
        int[] size = new int[kk];
        for (int a : km.assignments()) {
            size[a]++;
        }
        Integer[] order = new Integer[kk];
        for (int i = 0; i < kk; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> -size[i]).thenComparingInt(i -> i));
        int[] newId = new int[kk];
        for (int i = 0; i < kk; i++) {
            newId[order[i]] = i;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = newId[km.assignments()[i]];
        }
        float[][] centres = new float[kk][];
        for (int i = 0; i < kk; i++) {
            centres[newId[i]] = km.centres()[i];
        }
        List<String> texts = prompts.stream().map(Prompt::text).toList();
        List<List<String>> keywords = Keywords.classTfIdf(texts, labels, kk, KEYWORDS);
        List<Topic> topics = new ArrayList<>();
        for (int c = 0; c < kk; c++) {
            final int cluster = c;
            float[][] xs = x;
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            members.sort(Comparator.<Integer>comparingDouble(i -> KMeans.sq(xs[i], centres[cluster])).thenComparingInt(i -> i));
            List<Example> examples = new ArrayList<>();
            for (int i : members.subList(0, Math.min(EXAMPLES, members.size()))) {
                Prompt p = prompts.get(i);
                examples.add(new Example(p.conversationId(), p.messageIndex(), p.text()));
            }
            topics.add(new Topic(c, members.size(), keywords.get(c), examples, null));
        }
        int m = Math.min(MAP_POINTS, n);
        int[] mapIndex = new int[m];
        float[][] mx = new float[m][];
        for (int i = 0; i < m; i++) {
            mapIndex[i] = i;
            mx[i] = x[i];
        }
        double[][] map = TopicMath.pca2(mx);
        int s = Math.min(SILHOUETTE_POINTS, n);
        double silhouette = TopicMath.silhouette(Arrays.copyOf(x, s), Arrays.copyOf(labels, s), kk);
        return new Result(topics, prompts, labels, map, mapIndex, silhouette, km.iterations(), cached, embedSeconds, model, x);
    }

    /** The same result with these topics (e.g. after summarising). */
    public static Result withTopics(Result r, List<Topic> topics) {
        return new Result(topics, r.prompts(), r.assignments(), r.map(), r.mapIndex(), r.silhouette(), r.iterations(), r.cached(),
                r.embedSeconds(), r.model(), r.vectors());
    }
}
