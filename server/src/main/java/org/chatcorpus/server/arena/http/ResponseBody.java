package org.chatcorpus.server.arena.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A response body as a stream over its connection. {@link #available()} counts only body bytes
 * that can be read without blocking (framing that has arrived is consumed to tell), so a reader can
 * hand on what it has before it waits. Closing it returns the connection to its pool when the body
 * was read to its end and the server keeps the connection alive, and closes the connection otherwise,
 * as HttpURLConnection's streams do.
 */
abstract class ResponseBody extends InputStream {
    protected final ConnectionInput in;
    private final HttpConnection connection;
    private final ConnectionPool pool;
    private final boolean keepAlive;
    private boolean closed;

    ResponseBody(HttpConnection connection, ConnectionPool pool, boolean keepAlive) {
        this.connection = connection;
        this.in = connection.input();
        this.pool = pool;
        this.keepAlive = keepAlive;
    }

    static ResponseBody of(ResponseHead head, HttpConnection connection, ConnectionPool pool) {
        return switch (head.framing()) {
            case CHUNKED -> new ChunkedBody(connection, pool, head.keepAlive());
            case LENGTH -> new FixedLengthBody(connection, pool, head.keepAlive(), head.contentLength());
            case UNTIL_CLOSE -> new UntilCloseBody(connection, pool);
        };
    }

    /** Whether the body has been read to its end (its framing included). */
    abstract boolean complete();

    /** Reads body bytes; called only while open and with {@code len > 0}. */
    abstract int readBody(byte[] b, int off, int len) throws IOException;

    /** Body bytes readable without blocking; called only while open. */
    abstract int availableBody() throws IOException;

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("the response body is closed");
        }
        return len == 0 ? 0 : readBody(b, off, len);
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int available() throws IOException {
        return closed ? 0 : availableBody();
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Bytes beyond the body would be read as the next response's head: such a connection is not reused.
        if (keepAlive && complete() && in.buffered() == 0) {
            pool.release(connection);
        } else {
            connection.close();
        }
    }
}
