package org.chatcorpus.llm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chatcorpus.core.progress.Progress;

/**
 * Model calls for batch work (judges, moderators, benchmarks): the {@link ChatClient} behind an
 * optional on-disk {@link ReplyCache}, a per-endpoint rate limit, and token accounting; plus
 * {@link #map}, which runs a list of tasks with a fixed number in flight and a progress bar,
 * keeping every task's result or error in input order (one failure never stops the others).
 */
public final class ModelCalls implements AutoCloseable {
    /** The work of one item; may make any number of calls. */
    @FunctionalInterface
    public interface Task<T, R> {
        R run(T item) throws ModelError, IOException;
    }

    /** One item's outcome: a value, or the error that stopped it. */
    public record Outcome<R>(R value, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private final ChatClient client;
    private final ReplyCache cache;
    private final int concurrency;
    private final double requestsPerSecond;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final TokenUsage usage = new TokenUsage();

    /**
     * @param cache             replies kept on disk, or null for none
     * @param concurrency       tasks in flight in {@link #map}
     * @param requestsPerSecond per endpoint; 0 for no limit
     */
    public ModelCalls(ChatClient client, ReplyCache cache, int concurrency, double requestsPerSecond) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.client = client;
        this.cache = cache;
        this.concurrency = concurrency;
        this.requestsPerSecond = requestsPerSecond;
    }

    /** One chat completion, from the cache when it was asked before. */
    public ChatReply call(ModelEndpoint endpoint, ChatRequest request) throws ModelError {
        return call(endpoint, request, cache == null ? null : ReplyCache.key(endpoint, request));
    }

    /**
     * The same request asked once more, as a separate call: it skips the cached reply of
     * {@link #call(ModelEndpoint, ChatRequest)} and is cached under its own key ({@code attempt}
     * names it, e.g. "retry-1"), so a rerun replays the retry too instead of calling again. For a
     * reply that arrived but could not be used (a judge that gave no verdict).
     */
    public ChatReply callAgain(ModelEndpoint endpoint, ChatRequest request, String attempt) throws ModelError {
        return call(endpoint, request, cache == null ? null : ReplyCache.key(endpoint, request) + "/" + attempt);
    }

    private ChatReply call(ModelEndpoint endpoint, ChatRequest request, String key) throws ModelError {
        if (key != null) {
            ChatReply hit = cache.get(key);
            if (hit != null) {
                usage.record(endpoint.name(), hit);
                return hit;
            }
        }
        try {
            limiters.computeIfAbsent(endpoint.baseUrl(), b -> new RateLimiter(requestsPerSecond)).acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelError("call to model " + endpoint.name() + " was interrupted", 0, false, e);
        }
        try {
            ChatReply reply = client.complete(endpoint, request);
            usage.record(endpoint.name(), reply);
            if (key != null) {
                cache.put(key, endpoint, reply);
            }
            return reply;
        } catch (ModelError e) {
            usage.recordError(endpoint.name());
            throw e;
        }
    }

    /** Runs {@code task} over {@code items}, {@code concurrency} at a time; outcomes in input order. */
    public <T, R> List<Outcome<R>> map(List<T> items, String label, Task<T, R> task) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, items.size())), r -> {
            Thread t = new Thread(r, "model-call");
            t.setDaemon(true);
            return t;
        });
        List<Outcome<R>> outcomes = new ArrayList<>(items.size());
        try (Progress progress = Progress.start(label, items.size())) {
            List<Future<Outcome<R>>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    try {
                        return new Outcome<>(task.run(item), null);
                    } catch (ModelError | IOException | RuntimeException e) {
                        return new Outcome<R>(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                    } finally {
                        progress.advance(1);
                    }
                }));
            }
            for (Future<Outcome<R>> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(null, String.valueOf(e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for model calls", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return outcomes;
    }

    public TokenUsage usage() {
        return usage;
    }

    @Override
    public void close() throws IOException {
        client.close();
        if (cache != null) {
            cache.close();
        }
    }
}
