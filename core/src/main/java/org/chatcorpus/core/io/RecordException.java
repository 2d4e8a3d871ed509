package org.chatcorpus.core.io;

/**
 * A record that does not fit the expected shape. The message names the field path, e.g.
 * "field `conversation[3].content` is a number, expected a string".
 */
public final class RecordException extends Exception {
    public RecordException(String message) {
        super(message, null, false, false);
    }

    public static RecordException wrongType(String path, com.fasterxml.jackson.databind.JsonNode found, String expected) {
        return new RecordException("field `" + path + "` is " + describe(found) + ", expected " + expected);
    }

    public static RecordException missing(String path) {
        return new RecordException("field `" + path + "` is missing");
    }

    public static String describe(com.fasterxml.jackson.databind.JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        return switch (n.getNodeType()) {
            case NULL -> "null";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case STRING -> "a string";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
