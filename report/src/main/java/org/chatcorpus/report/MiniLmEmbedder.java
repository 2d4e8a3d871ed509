package org.chatcorpus.report;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.chatcorpus.core.progress.Progress;

/**
 * all-MiniLM-L6-v2 sentence embeddings (384 dimensions, mean pooling), the model FastChat's
 * topic_clustering.py uses, run on the CPU with ONNX Runtime from the model shipped inside the
 * langchain4j jar: nothing is downloaded. Prompts are embedded in batches, each batch spread over
 * {@code threads} threads.
 */
public final class MiniLmEmbedder implements PromptEmbedder {
    public static final String NAME = "all-MiniLM-L6-v2";
    private static final int BATCH = 64;
    private final int threads;

    public MiniLmEmbedder(int threads) {
        this.threads = Math.max(1, threads);
    }

    /** Uses every core. */
    public MiniLmEmbedder() {
        this(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[][] embed(List<String> texts, Progress progress) {
        float[][] out = new float[texts.size()][];
        if (texts.isEmpty()) {
            return out;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "minilm-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            AllMiniLmL6V2EmbeddingModel model = pool == null ? new AllMiniLmL6V2EmbeddingModel(Runnable::run)
                    : new AllMiniLmL6V2EmbeddingModel(pool);
            for (int start = 0; start < texts.size(); start += BATCH) {
                int end = Math.min(texts.size(), start + BATCH);
                List<TextSegment> segments = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    segments.add(TextSegment.from(texts.get(i)));
                }
                List<Embedding> embeddings = model.embedAll(segments).content();
                for (int i = start; i < end; i++) {
                    out[i] = PromptEmbedder.normalise(embeddings.get(i - start).vector().clone());
                }
                progress.advance(end - start);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return out;
    }
}
