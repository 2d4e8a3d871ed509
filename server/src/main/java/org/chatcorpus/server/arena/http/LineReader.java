package org.chatcorpus.server.arena.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads UTF-8 lines (ended by LF, CRLF or CR, as server-sent events allow) from a stream, and says
 * whether more has already arrived, as BufferedReader's readLine and ready do. A line is decoded only
 * when whole, so a character split across network reads or chunks decodes correctly. Lines are
 * capped: an endpoint that never ends a line must not fill the heap.
 */
public final class LineReader {
    /** A line longer than the cap. */
    public static final class LineTooLongException extends IOException {
        public LineTooLongException(int maxBytes) {
            super("a line longer than " + maxBytes + " bytes");
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int lim;
    /** The part of a line that spans refills of {@link #buf}. */
    private byte[] partial = new byte[0];
    private int partialLength;
    /** The last line ended with CR: a LF right after it belongs to it. */
    private boolean skipLf;

    public LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its line end, or null at the end of the stream. */
    public String readLine() throws IOException {
        partialLength = 0;
        boolean any = false;
        while (true) {
            if (pos == lim && !fill()) {
                return any ? take(0, 0) : null;
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            any = true;
            for (int i = pos; i < lim; i++) {
                byte b = buf[i];
                if (b == '\n' || b == '\r') {
                    String line = take(pos, i - pos);
                    pos = i + 1;
                    if (b == '\r') {
                        if (pos < lim) {
                            if (buf[pos] == '\n') {
                                pos++;
                            }
                        } else {
                            skipLf = true;
                        }
                    }
                    return line;
                }
            }
            append(pos, lim - pos);
            pos = lim;
        }
    }

    /** Whether a read would not block: bytes are buffered here or available from the stream. */
    public boolean ready() throws IOException {
        if (skipLf) {
            if (pos == lim && in.available() > 0) {
                fill();
            }
            if (pos < lim) {
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                }
            }
        }
        return pos < lim || in.available() > 0;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    /** The line made of the partial bytes and buf[from, from + length). */
    private String take(int from, int length) throws LineTooLongException {
        if (partialLength == 0) {
            if (length > maxLineBytes) {
                throw new LineTooLongException(maxLineBytes);
            }
            return new String(buf, from, length, StandardCharsets.UTF_8);
        }
        append(from, length);
        return new String(partial, 0, partialLength, StandardCharsets.UTF_8);
    }

    private void append(int from, int length) throws LineTooLongException {
        int needed = partialLength + length;
        if (needed > maxLineBytes) {
            throw new LineTooLongException(maxLineBytes);
        }
        if (needed > partial.length) {
            partial = Arrays.copyOf(partial, Math.min(maxLineBytes, Math.max(needed, 2 * partial.length)));
        }
        System.arraycopy(buf, from, partial, partialLength, length);
        partialLength = needed;
    }
}
