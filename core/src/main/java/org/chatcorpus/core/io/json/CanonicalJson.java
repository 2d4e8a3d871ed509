package org.chatcorpus.core.io.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.chatcorpus.core.text.Utf16;

/**
 * JSON metadata written the same way every time: object keys sorted at every depth (maps built
 * from Map.of or HashMap iterate in an order that changes between JVMs), strings scrubbed by
 * {@link Utf16}'s rule, pretty-printed UTF-8, and files replaced atomically so a reader never sees
 * half a document. For provenance and other artifacts beside a release.
 */
public final class CanonicalJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalJson() {
    }

    /** A copy of {@code n} with every object's keys in sorted order and every string scrubbed. */
    public static JsonNode canonical(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                keys.add(it.next());
            }
            keys.sort(null);
            for (String k : keys) {
                out.set(Utf16.scrub(k), canonical(n.get(k)));
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            n.forEach(e -> out.add(canonical(e)));
            return out;
        }
        if (n.isTextual()) {
            return TextNode.valueOf(Utf16.scrub(n.asText()));
        }
        return n;
    }

    public static byte[] bytes(JsonNode n) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(canonical(n));
    }

    /** Writes {@code n} to {@code file} through a temporary sibling and an atomic rename. */
    public static void write(Path file, JsonNode n) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".inprogress");
        Files.write(tmp, bytes(n));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
