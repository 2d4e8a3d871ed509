package org.chatcorpus.core.random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

/**
 * The expected outputs written by CPython and NumPy themselves:
 * {@code python3 core/src/test/resources/random/make_fixtures.py > core/src/test/resources/random/expected.jsonl}.
 */
final class PythonFixtures {
    private PythonFixtures() {
    }

    static List<JsonNode> of(String kind) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = PythonFixtures.class.getResourceAsStream("/random/expected.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    JsonNode n = json.readTree(line);
                    if (n.get("kind").asText().equals(kind)) {
                        out.add(n);
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no fixtures of kind " + kind + " in /random/expected.jsonl");
        }
        return out;
    }

    /** sha256 of the decimal values joined by commas, as make_fixtures.py digests a list. */
    static String digest(int[] xs) {
        StringJoiner j = new StringJoiner(",");
        for (int x : xs) {
            j.add(Integer.toString(x));
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(j.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asInt();
        }
        return out;
    }
}
