package org.chatcorpus.battles.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.chatcorpus.core.io.InputStreams;
import org.chatcorpus.core.io.LineReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.io.RecordException;

/**
 * JSON records of a file that is either one JSON array of objects (clean_battle_*.json, written by
 * Python's json.dump with indent=2) or JSON lines, gzip or not. Python writes {@code NaN} for a
 * missing float, which is not JSON; it is accepted here as NaN, as are raw line breaks inside
 * strings (the Kaggle CSV has cells whose JSON strings hold them). A bad line is quarantined alone; in
 * an array, a syntax error ends the readable part of the file and is quarantined with its offset.
 */
final class JsonRecords {
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

    /** Receives one record with its location ("line 12", "record 3") and raw text when known. */
    interface Sink {
        void accept(JsonNode record, String where, String raw) throws RecordException;
    }

    private JsonRecords() {
    }

    static void read(Path file, Sink sink, Quarantine quarantine) throws IOException {
        boolean array;
        try (InputStream in = InputStreams.open(file)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
            array = c == '[';
        }
        if (array) {
            readArray(file, sink, quarantine);
        } else {
            readLines(file, sink, quarantine);
        }
    }

    private static void readLines(Path file, Sink sink, Quarantine quarantine) throws IOException {
        try (LineReader lines = new LineReader(InputStreams.open(file))) {
            LineReader.Line line;
            while ((line = lines.next()) != null) {
                String where = "line " + line.number();
                if (line.text() == null) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), where, line.problem(),
                            new String(line.raw(), StandardCharsets.UTF_8)));
                    continue;
                }
                if (line.text().isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line.text());
                } catch (IOException e) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), where, "not valid JSON: " + shortMessage(e), line.text()));
                    continue;
                }
                accept(file, node, where, line.text(), sink, quarantine);
            }
        }
    }

    private static void readArray(Path file, Sink sink, Quarantine quarantine) throws IOException {
        try (InputStream in = InputStreams.open(file); JsonParser p = JSON.createParser(in)) {
            long index = 0;
            try {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw new IOException("expected a JSON array");
                }
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new IOException("the array is not closed (file truncated?)");
                    }
                    index++;
                    JsonNode node = JSON.readTree(p);
                    accept(file, node, "record " + index, null, sink, quarantine);
                }
            } catch (IOException e) {
                quarantine.reject(new QuarantinedRecord(file.toString(), "record " + (index + 1) + " (byte "
                        + p.currentLocation().getByteOffset() + ")",
                        "JSON broken here; the rest of the file is unreadable: " + shortMessage(e), ""));
            }
        }
    }

    static void accept(Path file, JsonNode node, String where, String raw, Sink sink, Quarantine quarantine) {
        try {
            if (!node.isObject()) {
                throw new RecordException("record is " + RecordException.describe(node) + ", expected a JSON object");
            }
            sink.accept(node, where, raw);
        } catch (RecordException e) {
            quarantine.reject(new QuarantinedRecord(file.toString(), where, e.getMessage(), raw != null ? raw : node.toString()));
        }
    }

    static String shortMessage(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JacksonException je ? je.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
