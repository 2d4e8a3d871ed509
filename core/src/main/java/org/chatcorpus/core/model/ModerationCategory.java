package org.chatcorpus.core.model;

import java.util.List;

/**
 * The 11 OpenAI moderation categories of LMSYS-Chat-1M, in the dataset's column order.
 * {@link #label()} is the exact field name in the release schema.
 */
public enum ModerationCategory {
    HARASSMENT("harassment"),
    HARASSMENT_THREATENING("harassment/threatening"),
    HATE("hate"),
    HATE_THREATENING("hate/threatening"),
    SELF_HARM("self-harm"),
    SELF_HARM_INSTRUCTIONS("self-harm/instructions"),
    SELF_HARM_INTENT("self-harm/intent"),
    SEXUAL("sexual"),
    SEXUAL_MINORS("sexual/minors"),
    VIOLENCE("violence"),
    VIOLENCE_GRAPHIC("violence/graphic");

    public static final int COUNT = 11;
    private static final List<ModerationCategory> ALL = List.of(values());

    private final String label;

    ModerationCategory(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static List<ModerationCategory> all() {
        return ALL;
    }

    /** The category with this schema label, e.g. "self-harm/intent"; null when unknown. */
    public static ModerationCategory byLabel(String label) {
        for (ModerationCategory c : ALL) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        return null;
    }
}
