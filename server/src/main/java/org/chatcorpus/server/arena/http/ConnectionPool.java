package org.chatcorpus.server.arena.http;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kept-alive connections to one destination (host and port). Any number may be in use at once;
 * up to {@code maxIdle} wait between requests, most recently used first, so that under steady load
 * the same warm connections serve and the rarely used ones age out.
 */
final class ConnectionPool implements Closeable {
    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final int maxIdle;
    private final long maxIdleNanos;
    private final ConcurrentLinkedDeque<HttpConnection> idle = new ConcurrentLinkedDeque<>();
    // ConcurrentLinkedDeque.size() walks the deque; the count is kept beside it.
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    ConnectionPool(String host, int port, int timeoutMillis, int maxIdle, long maxIdleMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.maxIdle = maxIdle;
        this.maxIdleNanos = TimeUnit.MILLISECONDS.toNanos(maxIdleMillis);
    }

    /** The most recently released idle connection that has not idled too long, or null. */
    HttpConnection pollIdle() {
        HttpConnection c;
        while ((c = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            if (System.nanoTime() - c.idleSince() < maxIdleNanos) {
                return c;
            }
            c.close();
        }
        return null;
    }

    /** A new connection. */
    HttpConnection connect() throws IOException {
        if (closed) {
            throw new IOException("the HTTP client is closed");
        }
        return HttpConnection.open(host, port, timeoutMillis);
    }

    /** Keeps a connection whose response was read completely for the next request, or closes it. */
    void release(HttpConnection c) {
        long now = System.nanoTime();
        if (closed || idleCount.incrementAndGet() > maxIdle) {
            idleCount.decrementAndGet();
            c.close();
            return;
        }
        c.markIdle(now);
        idle.offerFirst(c);
        // The least recently used one, if it idled too long: the server has probably closed it already.
        HttpConnection oldest = idle.peekLast();
        if (oldest != null && now - oldest.idleSince() >= maxIdleNanos && idle.removeLastOccurrence(oldest)) {
            idleCount.decrementAndGet();
            oldest.close();
        }
        if (closed) {
            closeIdle(); // close() ran while this one was being added
        }
    }

    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        HttpConnection c;
        while ((c = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            c.close();
        }
    }
}
