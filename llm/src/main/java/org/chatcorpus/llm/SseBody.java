package org.chatcorpus.llm;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body handed from the HTTP client's threads to the calling thread in the batches the
 * network delivered, at most {@link #WINDOW} batches ahead. The window keeps the client reading
 * while the caller works: with a demand of one, every batch would cost the client a hand-off to
 * one of its threads to resume reading, a delay per token once the machine is busy. Pulling with a deadline gives a streamed answer the per-read timeout that the JDK's
 * client only has for the response head; and the caller can see whether more has already arrived,
 * which is how deltas that came together are forwarded together.
 */
final class SseBody implements HttpResponse.BodySubscriber<Void> {
    private static final Object END = new Object();
    /** Batches requested ahead of the caller; bounds the memory an endpoint that floods us can take. */
    static final int WINDOW = 16;

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean discarding;

    /** A body that stalled longer than the caller's timeout. */
    static final class Stalled extends Exception {
        Stalled() {
            super(null, null, false, false);
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(WINDOW);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (!discarding) {
            queue.add(items);
        }
    }

    @Override
    public void onError(Throwable t) {
        queue.add(t);
        finished.complete(null);
    }

    @Override
    public void onComplete() {
        queue.add(END);
        finished.complete(null);
    }

    @Override
    public CompletionStage<Void> getBody() {
        // Complete at once: the response is handed over when its head has arrived, the body is pulled.
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The next batch of bytes, or null at the end of the body. The batch after it is requested
     * before this returns.
     *
     * @throws IOException  if the connection failed
     * @throws Stalled      if nothing arrived within the timeout
     */
    List<ByteBuffer> next(long timeoutNanos) throws IOException, Stalled, InterruptedException {
        Object o = queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (o == null) {
            throw new Stalled();
        }
        if (o == END) {
            queue.add(END); // the end stays the end for a later call
            return null;
        }
        if (o instanceof Throwable t) {
            queue.add(t);
            throw t instanceof IOException io ? io : new IOException(t);
        }
        subscription.request(1);
        @SuppressWarnings("unchecked")
        List<ByteBuffer> batch = (List<ByteBuffer>) o;
        return batch;
    }

    /** Whether the next batch (or the end) has already arrived. */
    boolean hasMore() {
        return !queue.isEmpty();
    }

    /**
     * Lets the rest of the body be read and dropped without the caller, so the connection goes back
     * to the pool; one that does not end within {@code timeoutMillis} is closed.
     */
    void discardRest(long timeoutMillis) {
        discarding = true;
        queue.clear();
        Flow.Subscription s = subscription;
        if (s == null || finished.isDone()) {
            return;
        }
        s.request(Long.MAX_VALUE);
        finished.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            if (e != null) {
                s.cancel();
            }
        });
    }

    /** Stops reading; the client closes the connection. */
    void cancel() {
        discarding = true;
        queue.clear();
        Flow.Subscription s = subscription;
        if (s != null && !finished.isDone()) {
            s.cancel();
        }
    }
}
