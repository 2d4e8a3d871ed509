package org.chatcorpus.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a stream line by line as raw bytes and decodes each line as strict UTF-8, so an invalid
 * byte sequence spoils only its own line (which the caller quarantines, naming the byte offset)
 * and never the lines around it. Lines of any length are supported (10 MB messages are normal). A
 * UTF-8 byte-order mark at the start of the stream is dropped.
 */
public final class LineReader implements AutoCloseable {
    /** One line: its 1-based number, its text (null when not valid UTF-8) and the problem if any. */
    public record Line(long number, String text, String problem, byte[] raw) {
    }

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int len;
    private long lineNo;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    public LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line, or null at the end of the stream. */
    public Line next() throws IOException {
        ByteArrayOutputStream line = null;
        while (true) {
            if (pos == len) {
                len = in.read(buf);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    if (line == null) {
                        return null;
                    }
                    return decode(line.toByteArray());
                }
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            if (pos < len) {
                // found the end of the line
                byte[] bytes;
                if (line == null) {
                    bytes = java.util.Arrays.copyOfRange(buf, start, pos);
                } else {
                    line.write(buf, start, pos - start);
                    bytes = line.toByteArray();
                }
                pos++;
                return decode(bytes);
            }
            if (line == null) {
                line = new ByteArrayOutputStream(Math.max(256, (pos - start) * 2));
            }
            line.write(buf, start, pos - start);
        }
    }

    private Line decode(byte[] bytes) {
        lineNo++;
        if (lineNo == 1 && bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            // A UTF-8 byte-order mark (Windows editors write one) is not part of the first record.
            bytes = java.util.Arrays.copyOfRange(bytes, 3, bytes.length);
        }
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        try {
            CharBuffer cb = decoder.decode(ByteBuffer.wrap(bytes, 0, end));
            return new Line(lineNo, cb.toString(), null, bytes);
        } catch (CharacterCodingException e) {
            return new Line(lineNo, null, "invalid UTF-8 at byte " + firstInvalid(bytes, end) + " of the line", bytes);
        }
    }

    private int firstInvalid(byte[] bytes, int end) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bb = ByteBuffer.wrap(bytes, 0, end);
        CharBuffer out = CharBuffer.allocate(end + 1);
        d.decode(bb, out, true);
        return bb.position();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
