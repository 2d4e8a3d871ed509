package org.chatcorpus.server.arena.http;

import java.io.IOException;

/** A body that ends when the server closes the connection (no length, not chunked; HTTP/1.0 style). */
final class UntilCloseBody extends ResponseBody {
    private boolean ended;

    UntilCloseBody(HttpConnection connection, ConnectionPool pool) {
        super(connection, pool, false);
    }

    @Override
    boolean complete() {
        return ended;
    }

    @Override
    int readBody(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        int n = in.read(b, off, len);
        ended = n < 0;
        return n;
    }

    @Override
    int availableBody() throws IOException {
        return ended ? 0 : in.available();
    }
}
