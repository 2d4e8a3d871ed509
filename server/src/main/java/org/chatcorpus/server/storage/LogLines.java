package org.chatcorpus.server.storage;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/** Reads the complete lines of a log file between two byte offsets, each with its position. */
final class LogLines {
    private LogLines() {
    }

    /**
     * Calls {@code each} for every line that starts at or after {@code from} and ends (newline
     * included) at or before {@code to}; a last line without its newline is not complete and is
     * left alone. Returns the offset just past the last line given.
     */
    static long read(Path file, long from, long to, Consumer<LoggedLine> each) throws IOException {
        String name = file.getFileName().toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long limit = Math.min(to, ch.size());
            if (from >= limit) {
                return from;
            }
            ch.position(from);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
            ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
            long pos = from;
            long start = from;
            while (pos < limit) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                pos++;
                if (b == '\n') {
                    each.accept(new LoggedLine(name, start, pos, line.toString(StandardCharsets.UTF_8)));
                    line.reset();
                    start = pos;
                } else {
                    line.write(b);
                }
            }
            return start;
        }
    }
}
