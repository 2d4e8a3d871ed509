package org.chatcorpus.core.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;

/**
 * A dataset read on all cores and handed, in batches through a bounded queue, to one worker per
 * core, each with its own state (an accumulator, say) that the caller merges afterwards. A single
 * large file is still processed in parallel, and memory is bounded by the queue, never by the
 * dataset. The first failure of a worker is rethrown once reading has stopped; the other workers
 * keep draining the queue meanwhile so the readers never block on it.
 */
public final class BatchWorkers {
    private static final int BATCH = 256;

    private BatchWorkers() {
    }

    /**
     * Reads {@code input} and calls {@code work} for every conversation on a worker thread with that
     * worker's state; returns the states, one per worker.
     */
    public static <S> List<S> run(DatasetReader input, Quarantine quarantine, Progress progress, String name, Supplier<S> newState,
            BiConsumer<S, Conversation> work) throws IOException {
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        BlockingQueue<List<Conversation>> queue = new ArrayBlockingQueue<>(workers * 4);
        List<Conversation> end = List.of();
        List<S> states = new ArrayList<>();
        Thread[] threads = new Thread[workers];
        RuntimeException[] failure = new RuntimeException[1];
        for (int w = 0; w < workers; w++) {
            S state = newState.get();
            states.add(state);
            threads[w] = new Thread(() -> {
                try {
                    while (true) {
                        List<Conversation> batch = queue.take();
                        if (batch == end) {
                            return;
                        }
                        for (Conversation c : batch) {
                            work.accept(state, c);
                        }
                        progress.advance(batch.size());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = e;
                        }
                    }
                    drain(queue, end);
                }
            }, name + "-worker-" + w);
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
        return states;
    }

    private static void drain(BlockingQueue<List<Conversation>> queue, List<Conversation> end) {
        try {
            while (queue.take() != end) {
                // discard: the run has failed, the readers just must not block
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
