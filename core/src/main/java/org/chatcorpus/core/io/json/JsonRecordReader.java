package org.chatcorpus.core.io.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.chatcorpus.core.io.ConversationReader;
import org.chatcorpus.core.io.DamagedInputException;
import org.chatcorpus.core.io.InputStreams;
import org.chatcorpus.core.io.LineReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.io.RecordException;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.text.Utf16;

/**
 * Shared reading for formats made of JSON records, either one JSON array of objects or JSON lines
 * (gzip or not). JSON lines are decoded line by line, so a malformed or non-UTF-8 line is
 * quarantined alone; in an array, records are streamed one at a time and a syntax error ends the
 * readable part of the file, which is quarantined with the byte offset where it broke.
 */
abstract class JsonRecordReader implements ConversationReader {
    static final ObjectMapper JSON = RecordJson.mapper();

    /** Maps one record; {@code index} is 1-based (line number or array position). */
    abstract Conversation map(JsonNode record, Path file, long index) throws RecordException;

    @Override
    public void read(Path file, Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        boolean array;
        try (InputStream in = InputStreams.open(file)) {
            array = firstNonSpace(in) == '[';
        } catch (DamagedInputException e) {
            array = false; // damaged at its very start: the line reader quarantines it with the reason
        }
        if (array) {
            readArray(file, sink, quarantine);
        } else {
            readLines(file, sink, quarantine);
        }
    }

    private static int firstNonSpace(InputStream in) throws IOException {
        int c;
        do {
            c = in.read();
        } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
        return c;
    }

    private void readLines(Path file, Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        long lastLine = 0;
        try (LineReader lines = new LineReader(InputStreams.open(file))) {
            LineReader.Line line;
            while ((line = lines.next()) != null) {
                lastLine = line.number();
                String where = "line " + line.number();
                if (line.text() == null) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), where, line.problem(),
                            new String(line.raw(), java.nio.charset.StandardCharsets.UTF_8)));
                    continue;
                }
                if (line.text().isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line.text());
                } catch (IOException e) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), where, RecordJson.whyUnreadable(e), line.text()));
                    continue;
                }
                accept(node, file, line.number(), where, line.text(), sink, quarantine);
            }
        } catch (DamagedInputException e) {
            quarantine.reject(damagedAfter(file, lastLine, e));
        }
    }

    /** The rest of a damaged file, as one quarantined record: the lines before the damage were kept. */
    static QuarantinedRecord damagedAfter(Path file, long linesRead, DamagedInputException e) {
        return new QuarantinedRecord(file.toString(), "after line " + linesRead, e.getMessage() + "; the " + linesRead
                + " line(s) before were read, the rest of the file is quarantined", "");
    }

    private void readArray(Path file, Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        try (InputStream in = InputStreams.open(file); JsonParser p = JSON.getFactory().createParser(in)) {
            long index = 0;
            long reading = 1; // the record being parsed, for the error message
            try {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw new IOException("expected a JSON array");
                }
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    reading = index + 1;
                    if (t == null) {
                        throw new IOException("the array is not closed (file truncated?)");
                    }
                    index++;
                    JsonNode node = JSON.readTree(p);
                    accept(node, file, index, "record " + index, null, sink, quarantine);
                }
            } catch (DamagedInputException e) {
                quarantine.reject(new QuarantinedRecord(file.toString(), "record " + reading, e.getMessage() + "; the "
                        + index + " record(s) before were read, the rest of the file is quarantined", ""));
            } catch (IOException e) {
                quarantine.reject(new QuarantinedRecord(file.toString(), "record " + reading + " (byte "
                        + p.currentLocation().getByteOffset() + ")",
                        "JSON broken here; the rest of the file is unreadable: " + RecordJson.whyUnreadable(e), ""));
            }
        }
    }

    private void accept(JsonNode node, Path file, long index, String where, String raw, Consumer<Conversation> sink, Quarantine quarantine) {
        try {
            if (!node.isObject()) {
                throw new RecordException("record is " + RecordException.describe(node) + ", expected a JSON object");
            }
            Conversation c = map(node, file, index);
            if (c != null) {
                sink.accept(c);
            }
        } catch (RecordException e) {
            quarantine.reject(new QuarantinedRecord(file.toString(), where, e.getMessage(), raw != null ? raw : node.toString()));
        }
    }

    static String shortMessage(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JacksonException je ? je.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    /** Text of a required string field, with the field path in the error. */
    static String text(JsonNode parent, String field, String path) throws RecordException {
        JsonNode n = parent.get(field);
        if (n == null) {
            throw RecordException.missing(path);
        }
        if (!n.isTextual()) {
            throw RecordException.wrongType(path, n, "a string");
        }
        return Utf16.scrub(n.asText());
    }

    /** Text of an optional string field, or the default when absent or null. */
    static String optText(JsonNode parent, String field, String path, String dflt) throws RecordException {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw RecordException.wrongType(path, n, "a string");
        }
        return Utf16.scrub(n.asText());
    }

    /** A stable id for records without one: the file name and position, hashed to 32 hex digits. */
    static String derivedId(Path file, long index) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("MD5");
            byte[] d = md.digest((file.getFileName() + "#" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
