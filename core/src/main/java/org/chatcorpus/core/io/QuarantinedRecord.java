package org.chatcorpus.core.io;

import org.chatcorpus.core.text.Utf16;

/**
 * A record that could not be used, with where it came from and why.
 *
 * @param source   the input file (or other source name)
 * @param location where in the source, e.g. "line 1042" or "row 17 of row group 2"
 * @param reason   what is wrong, naming the field, e.g. "field `conversation[3].content` is a number, expected a string"
 * @param raw      the raw record text as far as it could be recovered (may be truncated, never null)
 */
public record QuarantinedRecord(String source, String location, String reason, String raw) implements java.io.Serializable {
    /** Raw text kept per quarantined record; huge bad records must not blow up the quarantine. */
    public static final int MAX_RAW_CHARS = 64 * 1024;

    /**
     * Every field is scrubbed by {@link Utf16}'s rule here, after the cut (which can split a surrogate
     * pair), so whatever a reader or stage rejects can always be written as UTF-8.
     */
    public QuarantinedRecord {
        raw = raw == null ? "" : raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) + "…[truncated]" : raw;
        source = Utf16.scrub(source);
        location = Utf16.scrub(location);
        reason = Utf16.scrub(reason);
        raw = Utf16.scrub(raw);
    }

    /** The one-line message users see: "line 12 of logs/x-conv.json: field `state` missing; record quarantined". */
    public String describe() {
        return location + " of " + source + ": " + reason + "; record quarantined";
    }
}
