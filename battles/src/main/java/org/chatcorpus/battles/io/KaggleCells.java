package org.chatcorpus.battles.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.io.RecordException;

/**
 * The Kaggle competition's prompt / response cells: a JSON list of strings, one per turn, where
 * an element may be {@code null}. Read with any JSON spelling; written as the competition's file
 * spells them, Python's {@code json.dumps(list, separators=(",", ":"))} with its default
 * ensure_ascii: every character outside printable ASCII as a lower-case {@code \\uXXXX} escape
 * (a character beyond the BMP as its surrogate pair), so a file in that style comes back byte for byte.
 */
public final class KaggleCells {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private KaggleCells() {
    }

    /** The strings of a cell, nulls kept. */
    public static List<String> parse(String cell, String column) throws RecordException {
        JsonNode n;
        try {
            n = JsonRecords.JSON.readTree(cell);
        } catch (IOException e) {
            throw new RecordException("field `" + column + "` is not a JSON list of strings: " + JsonRecords.shortMessage(e));
        }
        if (n == null || !n.isArray()) {
            throw new RecordException("field `" + column + "` is " + (n == null ? "empty" : org.chatcorpus.core.io.RecordException.describe(n))
                    + ", expected a JSON list of strings");
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (e.isNull()) {
                out.add(null);
            } else if (e.isTextual()) {
                out.add(e.asText());
            } else {
                throw RecordException.wrongType(column + "[" + i + "]", e, "a string or null");
            }
        }
        return out;
    }

    /** The cell text for these strings, in the competition's spelling. */
    public static String format(List<String> items) {
        StringBuilder out = new StringBuilder(16);
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String s = items.get(i);
            if (s == null) {
                out.append("null");
            } else {
                quote(s, out);
            }
        }
        return out.append(']').toString();
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        out.append(c);
                    } else {
                        out.append("\\u").append(HEX[(c >> 12) & 15]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
                    }
                }
            }
        }
        out.append('"');
    }
}
