package org.chatcorpus.server.arena.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a connection has read from its socket, buffered. Unlike BufferedInputStream it is not
 * synchronized (one thread uses a connection at a time), it outlives one response (the same buffer
 * serves every request on the connection), and it can hand out a line that is already buffered
 * without blocking, so a chunked body can tell whether its next data has arrived.
 */
final class ConnectionInput {
    private final InputStream socket;
    private final byte[] buf;
    private int pos;
    private int lim;

    ConnectionInput(InputStream socket, int bufferSize) {
        this.socket = socket;
        this.buf = new byte[bufferSize];
    }

    /** Bytes that are buffered here. */
    int buffered() {
        return lim - pos;
    }

    /** Bytes readable without blocking: the buffered ones, else those the socket has received. */
    int available() throws IOException {
        return pos < lim ? lim - pos : socket.available();
    }

    /** Blocks until at least one byte is buffered; false at the end of the stream. */
    boolean await() throws IOException {
        while (pos == lim) {
            pos = 0;
            lim = 0;
            int n = socket.read(buf, 0, buf.length);
            if (n < 0) {
                return false;
            }
            lim = n;
        }
        return true;
    }

    /** Reads up to {@code len} bytes, blocking only when none is buffered; -1 at the end of the stream. */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!await()) {
            return -1;
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /**
     * The next line (Latin-1, without its LF or CRLF) if it is wholly buffered, else null without
     * blocking. Lines of the response head and of chunk framing are ASCII in practice.
     */
    String pollLine() {
        for (int i = pos; i < lim; i++) {
            if (buf[i] == '\n') {
                int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                pos = i + 1;
                return line;
            }
        }
        return null;
    }

    /**
     * Buffers what the socket has already received, without blocking; false when nothing more was
     * buffered (nothing received, or no room).
     */
    boolean fillAvailable() throws IOException {
        int ready = socket.available();
        if (ready <= 0 || !makeRoom()) {
            return false;
        }
        int n = socket.read(buf, lim, Math.min(ready, buf.length - lim));
        if (n <= 0) {
            return false;
        }
        lim += n;
        return true;
    }

    /**
     * The next line, blocking until it is complete; null if the stream ends before its first byte.
     * A line must fit in the buffer (8 KiB, as Jetty's and nginx's default header buffers): the
     * lines read here are status, header and chunk-size lines, never body text.
     */
    String readLine() throws IOException {
        while (true) {
            String line = pollLine();
            if (line != null) {
                return line;
            }
            if (!makeRoom()) {
                throw new ProtocolException("a line of the response head or chunk framing is longer than " + buf.length + " bytes");
            }
            int n = socket.read(buf, lim, buf.length - lim);
            if (n < 0) {
                if (pos == lim) {
                    return null;
                }
                throw new EOFException("the connection closed in the middle of a line of the response head or chunk framing");
            }
            lim += n;
        }
    }

    /** Moves buffered bytes to the front if that frees space at the end; false if the buffer is full. */
    private boolean makeRoom() {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        }
        if (lim < buf.length) {
            return true;
        }
        if (pos == 0) {
            return false;
        }
        System.arraycopy(buf, pos, buf, 0, lim - pos);
        lim -= pos;
        pos = 0;
        return true;
    }
}
