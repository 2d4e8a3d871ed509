package org.chatcorpus.server.arena;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Appends events as JSON lines to {@code DIR/YYYY-MM-DD-conv.json}, one file per UTC day, the
 * layout FastChat's web server writes (get_conv_log_filename) and its monitor scripts read. Each
 * line is flushed to the OS as soon as it is written so a crash loses at most the line in flight.
 */
public final class ConversationLog implements Closeable {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final Path dir;
    private String currentDay;
    private BufferedWriter out;

    public ConversationLog(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path dir() {
        return dir;
    }

    public synchronized void append(double tstamp, String jsonLine) throws IOException {
        String day = DAY.format(Instant.ofEpochMilli((long) (tstamp * 1000)));
        if (!day.equals(currentDay)) {
            if (out != null) {
                out.close();
            }
            out = Files.newBufferedWriter(dir.resolve(day + "-conv.json"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            currentDay = day;
        }
        out.write(jsonLine);
        out.write('\n');
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
