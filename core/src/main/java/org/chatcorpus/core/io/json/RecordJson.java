package org.chatcorpus.core.io.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The JSON parser for input records, and the reason given when a record cannot be parsed.
 *
 * <p>Jackson refuses strings over 20M characters by default (StreamReadConstraints), and a chat
 * message can be longer (pasted documents): that limit is lifted, since a line is already bounded
 * by what the line reader can hold. The nesting limit (1,000) stays, so a hostile record cannot
 * overflow the stack. When a limit is hit, the reason says which limit, never "not valid JSON".
 */
public final class RecordJson {
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE)
            .build();

    private RecordJson() {
    }

    /** A mapper whose parser accepts strings of any length. */
    public static ObjectMapper mapper() {
        return new ObjectMapper(JsonFactory.builder().streamReadConstraints(LIMITS).build());
    }

    /** Why a record could not be parsed: a parser limit it exceeds, or the syntax error. */
    public static String whyUnreadable(IOException e) {
        if (e instanceof StreamConstraintsException) {
            return "exceeds a JSON reader limit: " + JsonRecordReader.shortMessage(e);
        }
        return "not valid JSON: " + JsonRecordReader.shortMessage(e);
    }
}
