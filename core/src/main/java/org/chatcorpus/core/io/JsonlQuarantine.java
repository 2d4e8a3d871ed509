package org.chatcorpus.core.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A quarantine on disk: every rejected record as one JSON line {source, location, reason, raw} in
 * {@code DIR/quarantine/NAME.jsonl}. Thread-safe. Text arrives scrubbed ({@link QuarantinedRecord}
 * applies the one rule for unencodable text), so no record can make this writer fail.
 */
public final class JsonlQuarantine implements Quarantine, Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;
    private final AtomicLong count = new AtomicLong();
    private final Path file;

    public JsonlQuarantine(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void reject(QuarantinedRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("source", r.source());
        n.put("location", r.location());
        n.put("reason", r.reason());
        n.put("raw", r.raw());
        try {
            out.write(JSON.writeValueAsString(n));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("writing the quarantine " + file, e);
        }
        count.incrementAndGet();
    }

    @Override
    public long count() {
        return count.get();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
