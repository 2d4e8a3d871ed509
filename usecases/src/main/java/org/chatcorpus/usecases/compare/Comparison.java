package org.chatcorpus.usecases.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.text.PromptKey;
import org.chatcorpus.core.tokenize.TokenCounter;
import org.chatcorpus.embed.PromptEmbedder;
import org.chatcorpus.pipeline.stages.MinHash;
import org.chatcorpus.report.PromptSampler;
import org.chatcorpus.report.TopicClustering;

/**
 * Two corpora side by side, as the Kaggle discussion about LMSYS-Chat-1M asks: how each looks
 * (models, languages, turns, token lengths, NAME_n redaction), how much of B's prompts A already has
 * (exact after normalization, and near-duplicates as curate finds them), and whether A's topic
 * clusters show up in B (B's sampled prompts assigned to the nearest of A's cluster centres).
 *
 * <p>A is read once into an index of its first prompts; B is then streamed against it. Samples
 * (tokens, topics, examples) are bottom-k by a seeded hash, so the result is the same on every run
 * and core count.
 */
public final class Comparison {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param nearThreshold estimated Jaccard similarity for a near-duplicate (curate's default 0.8)
     * @param topics        clusters of A's prompts (0 for none)
     * @param topicSample   prompts sampled from each corpus for topics
     * @param tokenSample   conversations sampled from each corpus for token lengths
     * @param examples      examples of each kind of overlap
     * @param tokenizer     counts tokens, or null for none
     * @param embedder      embeds prompts for topics (unused when topics is 0)
     */
    public record Options(double nearThreshold, int topics, int topicSample, int tokenSample, int examples, long seed,
            TokenCounter tokenizer, PromptEmbedder embedder) {
    }

    /** The comparison as {@code compare.json} holds it. */
    public record Result(ObjectNode json) {
    }

    private record Example(String conversationIdB, String prompt, String conversationIdA, double similarity) {
    }

    private Comparison() {
    }

    public static Result run(String labelA, DatasetReader a, String labelB, DatasetReader b, Options o, Quarantine quarantine)
            throws IOException {
        MinHash minHash = new MinHash(o.seed());
        CorpusProfile profileA = new CorpusProfile(labelA, o.tokenSample(), o.seed());
        CorpusProfile profileB = new CorpusProfile(labelB, o.tokenSample(), o.seed());
        BottomK<String> topicsA = new BottomK<>(o.topics() > 0 ? o.topicSample() : 0);
        BottomK<String> topicsB = new BottomK<>(o.topics() > 0 ? o.topicSample() : 0);

        // Pass over A: profile, and the index of its first prompts.
        IndexBuilder builder = new IndexBuilder(minHash);
        try (Progress p = Progress.start("compare: reading " + labelA, -1)) {
            a.read(c -> {
                profileA.add(c);
                String prompt = c.firstPrompt();
                if (!prompt.isEmpty()) {
                    builder.add(c.conversationId(), PromptKey.hash(prompt), prompt);
                    offerTopic(topicsA, prompt, o.seed());
                }
                p.advance(1);
            }, quarantine, true);
        }
        PromptIndex index = builder.build(o.nearThreshold());

        // Pass over B: profile and overlap with A.
        AtomicLong withPrompt = new AtomicLong();
        AtomicLong exact = new AtomicLong();
        AtomicLong near = new AtomicLong();
        BottomK<Example> exactExamples = new BottomK<>(o.examples());
        BottomK<Example> nearExamples = new BottomK<>(o.examples());
        try (Progress p = Progress.start("compare: reading " + labelB, -1)) {
            b.read(c -> {
                profileB.add(c);
                String prompt = c.firstPrompt();
                p.advance(1);
                if (prompt.isEmpty()) {
                    return;
                }
                withPrompt.incrementAndGet();
                offerTopic(topicsB, prompt, o.seed());
                long key = BottomK.hash(c.conversationId(), o.seed());
                if (index.containsExact(PromptKey.hash(prompt))) {
                    exact.incrementAndGet();
                    near.incrementAndGet();
                    exactExamples.offer(key, c.conversationId(), new Example(c.conversationId(), cut(prompt), null, 1.0));
                    return;
                }
                PromptIndex.Match m = index.nearest(prompt);
                if (m != null) {
                    near.incrementAndGet();
                    nearExamples.offer(key, c.conversationId(), new Example(c.conversationId(), cut(prompt), builder.id(m.index()), m.similarity()));
                }
            }, quarantine, true);
        }

        ObjectNode root = JSON.createObjectNode();
        root.set("a", profileJson(profileA, o.tokenizer()));
        root.set("b", profileJson(profileB, o.tokenizer()));
        ObjectNode overlap = root.putObject("overlap");
        long bTotal = profileB.conversations();
        overlap.put("exact", exact.get());
        overlap.put("exact_share", share(exact.get(), bTotal));
        overlap.put("near", near.get());
        overlap.put("near_share", share(near.get(), bTotal));
        overlap.put("near_threshold", o.nearThreshold());
        overlap.put("b_with_prompt", withPrompt.get());
        ObjectNode ex = overlap.putObject("examples");
        examplesJson(ex.putArray("exact"), exactExamples.items());
        examplesJson(ex.putArray("near"), nearExamples.items());
        if (o.topics() > 0) {
            root.set("topics", TopicShares.compute(topicsA.items(), topicsB.items(), o.topics(), o.seed(), o.embedder()));
        }
        ObjectNode config = root.putObject("config");
        config.put("normalization", "NFKC, lower-case, whitespace collapsed; first user prompt");
        config.put("near_duplicates", "MinHash of word 3-grams, 64 hashes, 16 bands of 4 (curate's near_dup)");
        config.put("seed", o.seed());
        config.put("token_sample", o.tokenSample());
        config.put("topic_sample", o.topicSample());
        return new Result(root);
    }

    /** Topic prompts as FastChat's topic_clustering.py takes them (32 to 1,536 characters), one per distinct prompt. */
    private static void offerTopic(BottomK<String> sample, String prompt, long seed) {
        if (prompt.length() >= PromptSampler.MIN_CHARS && prompt.length() <= PromptSampler.MAX_CHARS) {
            String norm = PromptKey.normalize(prompt);
            sample.offer(BottomK.hash(norm, seed), norm, prompt);
        }
    }

    private static String cut(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    private static double share(long n, long total) {
        return total == 0 ? 0 : Math.round(n * 1e6 / total) / 1e6;
    }

    private static void examplesJson(ArrayNode out, List<Example> examples) {
        for (Example e : examples) {
            ObjectNode n = out.addObject();
            n.put("conversation_id_b", e.conversationIdB());
            n.put("prompt", e.prompt());
            if (e.conversationIdA() != null) {
                n.put("conversation_id_a", e.conversationIdA());
                n.put("similarity", e.similarity());
            }
        }
    }

    private static ObjectNode profileJson(CorpusProfile p, TokenCounter tokenizer) {
        ObjectNode n = JSON.createObjectNode();
        n.put("label", p.label());
        n.put("conversations", p.conversations());
        n.put("avg_turns", Math.round(p.avgTurns() * 1000) / 1000.0);
        n.put("redacted", p.redacted());
        n.put("redacted_share", share(p.redacted(), p.conversations()));
        ObjectNode models = n.putObject("models");
        sortedByCount(p.models()).forEach(e -> models.put(e.getKey(), e.getValue()));
        ObjectNode languages = n.putObject("languages");
        sortedByCount(p.languages()).forEach(e -> languages.put(e.getKey(), e.getValue()));
        ObjectNode tokens = n.putObject("tokens");
        List<CorpusProfile.Texts> sample = p.tokenSample.items();
        tokens.put("tokenizer", tokenizer == null ? "none" : tokenizer.name());
        tokens.put("sample", sample.size());
        if (tokenizer != null) {
            long promptTokens = 0;
            long prompts = 0;
            long responseTokens = 0;
            long responses = 0;
            for (CorpusProfile.Texts t : sample) {
                for (String s : t.prompts()) {
                    promptTokens += tokenizer.count(s);
                    prompts++;
                }
                for (String s : t.responses()) {
                    responseTokens += tokenizer.count(s);
                    responses++;
                }
            }
            tokens.put("avg_prompt_tokens", prompts == 0 ? 0 : Math.round(promptTokens * 10.0 / prompts) / 10.0);
            tokens.put("avg_response_tokens", responses == 0 ? 0 : Math.round(responseTokens * 10.0 / responses) / 10.0);
        }
        return n;
    }

    /** Largest count first, then by name: the order people read tables in, and a stable one. */
    private static List<Map.Entry<String, Long>> sortedByCount(Map<String, Long> m) {
        List<Map.Entry<String, Long>> list = new ArrayList<>(m.entrySet());
        list.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return list;
    }

    /** A's first prompts as they arrive from parallel readers; the arrays grow under one lock. */
    private static final class IndexBuilder {
        private final MinHash minHash;
        private long[] hashes = new long[1024];
        private int[] signatures = new int[1024 * MinHash.HASHES];
        private String[] ids = new String[1024];
        private int n;

        IndexBuilder(MinHash minHash) {
            this.minHash = minHash;
        }

        void add(String id, long hash, String prompt) {
            int[] sig = minHash.signature(prompt);
            synchronized (this) {
                if (n == hashes.length) {
                    hashes = Arrays.copyOf(hashes, n * 2);
                    signatures = Arrays.copyOf(signatures, n * 2 * MinHash.HASHES);
                    ids = Arrays.copyOf(ids, n * 2);
                }
                hashes[n] = hash;
                System.arraycopy(sig, 0, signatures, n * MinHash.HASHES, MinHash.HASHES);
                ids[n] = id;
                n++;
            }
        }

        synchronized PromptIndex build(double threshold) {
            return new PromptIndex(hashes, signatures, n, minHash, threshold);
        }

        synchronized String id(int i) {
            return ids[i];
        }
    }
}
