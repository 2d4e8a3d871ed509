package org.chatcorpus.server.arena.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;

/**
 * A body in {@code Transfer-Encoding: chunked} (RFC 9112 section 7.1): chunks of hex-sized data,
 * each size line optionally carrying extensions (ignored), then a zero-size chunk and trailer
 * fields (ignored). Bare LF line ends are accepted as well as CRLF.
 */
final class ChunkedBody extends ResponseBody {
    private static final int MAX_TRAILER_LINES = 256;

    private enum State { SIZE, DATA, DATA_END, TRAILERS, DONE }

    private State state = State.SIZE;
    private long remaining;
    private int trailerLines;

    ChunkedBody(HttpConnection connection, ConnectionPool pool, boolean keepAlive) {
        super(connection, pool, keepAlive);
    }

    @Override
    boolean complete() {
        return state == State.DONE;
    }

    @Override
    int readBody(byte[] b, int off, int len) throws IOException {
        while (state != State.DATA) {
            if (state == State.DONE) {
                return -1;
            }
            String line = in.readLine();
            if (line == null) {
                throw new EOFException("the connection closed before the end of the chunked response body");
            }
            advance(line);
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("the connection closed in the middle of a chunk of the response body");
        }
        remaining -= n;
        if (remaining == 0) {
            state = State.DATA_END;
        }
        return n;
    }

    /**
     * Consumes whatever framing has already arrived (the CRLF after a chunk, the next size line,
     * trailers) so that framing alone never counts as available: a reader that waits only when
     * nothing is available must not wait while a whole event sits unforwarded before a "\r\n".
     */
    @Override
    int availableBody() throws IOException {
        while (state != State.DATA && state != State.DONE) {
            String line = in.pollLine();
            if (line == null && in.fillAvailable()) {
                line = in.pollLine();
            }
            if (line == null) {
                return 0;
            }
            advance(line);
        }
        return state == State.DATA ? (int) Math.min(remaining, in.available()) : 0;
    }

    private void advance(String line) throws ProtocolException {
        switch (state) {
            case SIZE -> {
                long size = parseSize(line);
                if (size == 0) {
                    state = State.TRAILERS;
                } else {
                    remaining = size;
                    state = State.DATA;
                }
            }
            case DATA_END -> {
                if (!line.isEmpty()) {
                    throw new ProtocolException("a chunk of the response body is longer than its size line said");
                }
                state = State.SIZE;
            }
            case TRAILERS -> {
                if (line.isEmpty()) {
                    state = State.DONE;
                } else if (++trailerLines > MAX_TRAILER_LINES) {
                    throw new ProtocolException("the chunked response body has more than " + MAX_TRAILER_LINES + " trailer lines");
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    /** The hex size before any ";extension"; at most 15 digits, so it fits a long. */
    private static long parseSize(String line) throws ProtocolException {
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
        if (hex.isEmpty() || hex.length() > 15) {
            throw new ProtocolException("bad chunk size line: " + ResponseHead.quote(line));
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0) {
                throw new ProtocolException("bad chunk size line: " + ResponseHead.quote(line));
            }
            size = size * 16 + digit;
        }
        return size;
    }
}
