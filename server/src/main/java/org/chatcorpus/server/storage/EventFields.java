package org.chatcorpus.server.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The database columns of one FastChat log line, read from the line itself so that live events and
 * events caught up from the log after a crash are stored the same way: {@code tstamp}, {@code type},
 * {@code ip} (already a salted hash), and from {@code state} (chat, upvote, downvote) or
 * {@code states} (battle votes) the conversation ids and hidden model names, joined by commas.
 * One streaming pass; the messages are skipped, not built.
 */
final class EventFields {
    private static final JsonFactory FACTORY = new JsonFactory();

    private EventFields() {
    }

    /** The event, or null when the line is not a JSON object with a type (it is then counted, not stored). */
    static EventStore.Event parse(String line) {
        double tstamp = 0;
        String type = null;
        String model = null;
        String ip = null;
        List<String> convIds = new ArrayList<>(2);
        List<String> modelNames = new ArrayList<>(2);
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "tstamp" -> tstamp = t.isNumeric() ? p.getDoubleValue() : 0;
                    case "type" -> type = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "model" -> model = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "ip" -> ip = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "state" -> readState(p, convIds, modelNames);
                    case "states" -> {
                        if (t == JsonToken.START_ARRAY) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                readState(p, convIds, modelNames);
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        if (type == null) {
            return null;
        }
        String models = model != null && modelNames.size() <= 1 ? model : String.join(",", modelNames);
        return new EventStore.Event(tstamp, type, convIds.isEmpty() ? null : String.join(",", convIds), models, ip, line);
    }

    /** Reads conv_id and model_name of one state object; the parser stands on its START_OBJECT. */
    private static void readState(JsonParser p, List<String> convIds, List<String> modelNames) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (field.equals("conv_id") && t == JsonToken.VALUE_STRING) {
                convIds.add(p.getText());
            } else if (field.equals("model_name") && t == JsonToken.VALUE_STRING) {
                modelNames.add(p.getText());
            } else {
                p.skipChildren();
            }
        }
    }
}
