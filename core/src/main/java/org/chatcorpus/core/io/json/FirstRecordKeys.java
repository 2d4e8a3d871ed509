package org.chatcorpus.core.io.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The top-level keys of the first JSON object in a file's head (a JSON array of objects or JSON
 * lines), tolerating a head cut off mid-record. Used to recognise formats by their fields.
 */
public final class FirstRecordKeys {
    private static final JsonFactory FACTORY = new JsonFactory();

    private FirstRecordKeys() {
    }

    public static Set<String> of(byte[] head) {
        Set<String> keys = new LinkedHashSet<>();
        try (JsonParser p = FACTORY.createParser(head)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                t = p.nextToken();
            }
            if (t != JsonToken.START_OBJECT) {
                return keys;
            }
            int depth = 1;
            while (depth > 0 && (t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && depth == 1) {
                    keys.add(p.currentName());
                } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                }
            }
        } catch (IOException e) {
            // a truncated head: the keys seen so far are what we know
        }
        return keys;
    }
}
