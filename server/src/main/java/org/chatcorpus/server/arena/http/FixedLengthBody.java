package org.chatcorpus.server.arena.http;

import java.io.EOFException;
import java.io.IOException;

/** A body of a length the {@code Content-Length} header gave. */
final class FixedLengthBody extends ResponseBody {
    private long remaining;

    FixedLengthBody(HttpConnection connection, ConnectionPool pool, boolean keepAlive, long length) {
        super(connection, pool, keepAlive);
        this.remaining = length;
    }

    @Override
    boolean complete() {
        return remaining == 0;
    }

    @Override
    int readBody(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("the connection closed with " + remaining + " bytes of the response body still to come");
        }
        remaining -= n;
        return n;
    }

    @Override
    int availableBody() throws IOException {
        return remaining == 0 ? 0 : (int) Math.min(remaining, in.available());
    }
}
