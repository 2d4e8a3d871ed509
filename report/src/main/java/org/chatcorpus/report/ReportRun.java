package org.chatcorpus.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.tokenize.TokenCounter;

/**
 * One streaming pass over a dataset for the report, on all cores: readers hand batches through a
 * bounded queue to one worker per core, each with its own {@link ReportAccumulator}; the
 * accumulators are merged at the end. Memory is bounded by the queue, the per-worker counters and
 * the topic sample, never by the dataset.
 */
public final class ReportRun {
    private static final int BATCH = 256;

    /** The merged counts and the Basic Statistics, computed exactly as the stats command does. */
    public record Result(BasicStatistics stats, ReportAccumulator counts, boolean tokens) {
    }

    private ReportRun() {
    }

    public static Result compute(DatasetReader input, TokenCounter tokens, Quarantine quarantine, Progress progress,
            int sampleSize, long seed) throws IOException {
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        BlockingQueue<List<Conversation>> queue = new ArrayBlockingQueue<>(workers * 4);
        List<Conversation> end = List.of();
        ReportAccumulator[] accs = new ReportAccumulator[workers];
        Thread[] threads = new Thread[workers];
        RuntimeException[] failure = new RuntimeException[1];
        for (int w = 0; w < workers; w++) {
            ReportAccumulator acc = accs[w] = new ReportAccumulator(sampleSize, seed);
            threads[w] = new Thread(() -> {
                try {
                    while (true) {
                        List<Conversation> batch = queue.take();
                        if (batch == end) {
                            return;
                        }
                        for (Conversation c : batch) {
                            acc.add(c, tokens);
                        }
                        progress.advance(batch.size());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                    // Keep draining so the readers never block on a full queue.
                    drain(queue, end);
                }
            }, "report-worker-" + w);
            threads[w].start();
        }
        Object lock = new Object();
        List<List<Conversation>> current = new ArrayList<>(List.of(new ArrayList<>(BATCH)));
        try {
            input.read(c -> {
                List<Conversation> full = null;
                synchronized (lock) {
                    List<Conversation> b = current.get(0);
                    b.add(c);
                    if (b.size() == BATCH) {
                        full = b;
                        current.set(0, new ArrayList<>(BATCH));
                    }
                }
                if (full != null) {
                    put(queue, full);
                }
            }, quarantine, true);
            put(queue, current.get(0));
        } finally {
            for (int w = 0; w < workers; w++) {
                put(queue, end);
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        synchronized (failure) {
            if (failure[0] != null) {
                throw failure[0];
            }
        }
        ReportAccumulator total = new ReportAccumulator(sampleSize, seed);
        for (ReportAccumulator a : accs) {
            total.merge(a);
        }
        BasicStatistics stats = BasicStatistics.of(total.stats, tokens == null ? null : tokens.name(), quarantine.count());
        return new Result(stats, total, tokens != null);
    }

    private static void drain(BlockingQueue<List<Conversation>> queue, List<Conversation> end) {
        try {
            while (queue.take() != end) {
                // discard
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void put(BlockingQueue<List<Conversation>> q, List<Conversation> batch) {
        try {
            q.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
