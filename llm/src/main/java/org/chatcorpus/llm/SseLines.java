package org.chatcorpus.llm;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits a streamed body into lines (ended by LF, CRLF or CR, as server-sent events allow) as its
 * bytes arrive, whatever the network's batch boundaries: a line, and so a UTF-8 character, split
 * across batches comes out whole. Lines stay bytes; the caller decodes only what it needs. A line
 * is capped, so an endpoint that never ends one cannot fill the heap.
 */
final class SseLines {
    /** Receives each line as {@code bytes[0, length)}; the array is reused for the next line. */
    interface Sink {
        /** @return false to stop reading (the stream's end was seen) */
        boolean line(byte[] bytes, int length) throws ModelError;
    }

    /** A line longer than the cap. */
    static final class TooLong extends Exception {
        TooLong() {
            super(null, null, false, false);
        }
    }

    private final int maxLineBytes;
    private byte[] line = new byte[512];
    private int length;
    /** The last line ended with CR: a LF right after it belongs to it. */
    private boolean skipLf;

    SseLines(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** Feeds one batch of bytes; returns false if the sink asked to stop. */
    boolean feed(ByteBuffer buf, Sink sink) throws ModelError, TooLong {
        int pos = buf.position();
        int lim = buf.limit();
        while (pos < lim) {
            if (skipLf) {
                skipLf = false;
                if (buf.get(pos) == '\n') {
                    pos++;
                    continue;
                }
            }
            int end = pos;
            byte b = 0;
            while (end < lim && (b = buf.get(end)) != '\n' && b != '\r') {
                end++;
            }
            append(buf, pos, end - pos);
            if (end == lim) {
                pos = end;
                break;
            }
            skipLf = b == '\r';
            pos = end + 1;
            int n = length;
            length = 0;
            if (!sink.line(line, n)) {
                buf.position(pos);
                return false;
            }
        }
        buf.position(pos);
        return true;
    }

    /** Hands on a last line that the body ended without a line end. */
    boolean finish(Sink sink) throws ModelError {
        if (length == 0) {
            return true;
        }
        int n = length;
        length = 0;
        return sink.line(line, n);
    }

    private void append(ByteBuffer buf, int from, int n) throws TooLong {
        int needed = length + n;
        if (needed > maxLineBytes) {
            throw new TooLong();
        }
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(needed, 2 * line.length)));
        }
        buf.get(from, line, length, n);
        length = needed;
    }
}
