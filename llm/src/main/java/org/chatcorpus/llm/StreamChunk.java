package org.chatcorpus.llm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One streamed chat-completion chunk as far as a client needs it: the text of
 * {@code choices[0].delta.content} and the {@code usage} counts some servers send in the last chunk.
 * Read with Jackson's streaming parser straight from the event's bytes: an answer arrives as
 * hundreds of chunks, and only these few values of each matter, so no tree and no String of the
 * whole event is built.
 *
 * @param content          the delta's text, "" when the chunk has none
 * @param promptTokens     {@code usage.prompt_tokens}, or -1 when absent
 * @param completionTokens {@code usage.completion_tokens}, or -1 when absent
 */
record StreamChunk(String content, long promptTokens, long completionTokens) {
    private static final JsonFactory JSON = new JsonFactory();
    private static final StreamChunk EMPTY = new StreamChunk("", -1, -1);

    /** Reads a chunk given as text (tests, and what a line holds). */
    static StreamChunk parse(String data, String modelName) throws ModelError {
        byte[] b = data.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length, modelName);
    }

    /**
     * Reads the chunk in {@code bytes[off, off+len)}. A chunk with an {@code error} member ends the
     * answer with that message (vLLM and FastChat's workers report failures mid-stream this way).
     *
     * @throws ModelError if the chunk reports an error or is not JSON
     */
    static StreamChunk parse(byte[] bytes, int off, int len, String modelName) throws ModelError {
        try (JsonParser p = JSON.createParser(bytes, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return EMPTY;
            }
            String content = "";
            long prompt = -1;
            long completion = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("error") && value != JsonToken.VALUE_NULL) {
                    throw new ModelError("model " + modelName + " reported: " + errorMessage(p, value), 0, false, null);
                } else if (name.equals("choices") && value == JsonToken.START_ARRAY) {
                    boolean first = true;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (first && p.currentToken() == JsonToken.START_OBJECT) {
                            content = firstChoiceContent(p);
                        } else {
                            p.skipChildren();
                        }
                        first = false;
                    }
                } else if (name.equals("usage") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        JsonToken v = p.nextToken();
                        if (key.equals("prompt_tokens") && v == JsonToken.VALUE_NUMBER_INT) {
                            prompt = p.getLongValue();
                        } else if (key.equals("completion_tokens") && v == JsonToken.VALUE_NUMBER_INT) {
                            completion = p.getLongValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            // Only the members before the end were read: a cut-off chunk must fail, not pass as shorter.
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("unexpected " + p.currentToken());
            }
            return content.isEmpty() && prompt < 0 && completion < 0 ? EMPTY : new StreamChunk(content, prompt, completion);
        } catch (IOException e) {
            throw new ModelError("model " + modelName + " sent an event that is not JSON", 0, true, e);
        }
    }

    /** {@code error.message}, or "error" when the error is not an object with a text message. */
    private static String errorMessage(JsonParser p, JsonToken value) throws IOException {
        String message = "error";
        if (value == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (key.equals("message") && v == JsonToken.VALUE_STRING) {
                    message = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
        return message;
    }

    /** Reads one choice object (the parser is on its START_OBJECT) and returns its delta's content. */
    private static String firstChoiceContent(JsonParser p) throws IOException {
        String content = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("delta") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    if (p.nextToken() == JsonToken.VALUE_STRING && key.equals("content")) {
                        content = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return content;
    }
}
