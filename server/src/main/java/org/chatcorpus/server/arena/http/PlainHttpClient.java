package org.chatcorpus.server.arena.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends HTTP/1.1 POST requests over plain TCP and hands back the status and the body as a stream,
 * keeping connections alive in a pool per destination (host and port). Blocking, one thread per
 * request, as the Arena's request handling is.
 */
public final class PlainHttpClient implements AutoCloseable {
    /**
     * Idle connections kept per destination. The JDK keeps 5, which under 32 concurrent model calls
     * made about a fifth of them open a new TCP connection (and leave a TIME_WAIT socket behind).
     */
    static final int MAX_IDLE_PER_DESTINATION = 256;
    /**
     * How long a connection may idle before it is dropped instead of reused: servers close idle
     * keep-alive connections themselves (uvicorn, which serves vLLM, after 5 s; the JDK client also
     * assumes 5 s), and reusing one they are closing costs a retry.
     */
    static final long MAX_IDLE_MILLIS = 4_000;

    /** A response: its status and its body (close it to release the connection). */
    public record Response(int status, InputStream body) {
    }

    /**
     * A kept-alive connection failed before any byte of the answer arrived: the server had closed it
     * while it was idle, so the request did not reach the application and may be sent again on a new
     * connection.
     */
    public static final class StaleConnectionException extends IOException {
        public StaleConnectionException(IOException cause) {
            super("a kept-alive connection was closed by the server: " + cause, cause);
        }
    }

    private final int timeoutMillis;
    private final int maxIdle;
    private final long maxIdleMillis;
    private final Map<String, ConnectionPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param timeout for connecting and for each read (an answer may stream for longer) */
    public PlainHttpClient(Duration timeout) {
        this(timeout, MAX_IDLE_PER_DESTINATION, MAX_IDLE_MILLIS);
    }

    PlainHttpClient(Duration timeout, int maxIdlePerDestination, long maxIdleMillis) {
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.maxIdle = maxIdlePerDestination;
        this.maxIdleMillis = maxIdleMillis;
    }

    /**
     * POSTs {@code body} with the given headers ({@code Host} and {@code Content-Length} are added)
     * and returns once the response head has arrived.
     *
     * @param freshConnection connect anew rather than reuse an idle connection (for a retry after a
     *                        {@link StaleConnectionException})
     * @throws StaleConnectionException if a reused connection failed before any answer byte
     * @throws java.net.SocketTimeoutException if connecting or the answer took longer than the timeout
     * @throws IOException if the destination could not be reached or answered malformed HTTP
     */
    public Response post(HttpTarget target, List<Header> headers, byte[] body, boolean freshConnection) throws IOException {
        ConnectionPool pool = pools.computeIfAbsent(target.authority(),
                a -> new ConnectionPool(target.host(), target.port(), timeoutMillis, maxIdle, maxIdleMillis));
        if (closed) {
            pool.close(); // in case close() ran before this pool was added
            throw new IOException("the HTTP client is closed");
        }
        HttpConnection connection = freshConnection ? null : pool.pollIdle();
        boolean reused = connection != null;
        if (connection == null) {
            connection = pool.connect();
        }
        try {
            connection.send(requestHead(target, headers, body.length), body);
            if (!connection.input().await()) {
                throw new EOFException("the server closed the connection without answering");
            }
        } catch (IOException e) {
            connection.close();
            if (reused && !(e instanceof SocketTimeoutException)) {
                throw new StaleConnectionException(e);
            }
            throw e;
        }
        try {
            ResponseHead head = ResponseHead.read(connection.input());
            return new Response(head.status(), ResponseBody.of(head, connection, pool));
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The request line and headers, ASCII (header values Latin-1, checked by {@link Header}). */
    static byte[] requestHead(HttpTarget target, List<Header> headers, int contentLength) {
        StringBuilder s = new StringBuilder(256);
        s.append("POST ").append(target.path()).append(" HTTP/1.1\r\nHost: ").append(target.authority()).append("\r\n");
        for (Header h : headers) {
            s.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        s.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Closes the idle connections; those in use close when their response is done. */
    @Override
    public void close() {
        closed = true;
        pools.values().forEach(ConnectionPool::close);
    }
}
