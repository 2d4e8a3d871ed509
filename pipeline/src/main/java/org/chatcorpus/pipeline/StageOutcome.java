package org.chatcorpus.pipeline;

import java.util.Objects;
import org.chatcorpus.core.model.Conversation;

/**
 * What a stage did with one conversation. Exactly one of: kept unchanged, kept changed (with the
 * new conversation), dropped (with a reason that is counted by the runner, e.g. "blocked_word").
 * A kept conversation may carry a note (e.g. "unmoderated") with its detail: the runner counts
 * notes by name and lists the noted conversations beside the quarantine.
 */
public record StageOutcome(Conversation conversation, boolean changed, String dropReason, String note, String noteDetail) {

    public static StageOutcome keep(Conversation c) {
        return new StageOutcome(Objects.requireNonNull(c), false, null, null, null);
    }

    public static StageOutcome change(Conversation c) {
        return new StageOutcome(Objects.requireNonNull(c), true, null, null, null);
    }

    public static StageOutcome drop(String reason) {
        return new StageOutcome(null, false, Objects.requireNonNull(reason), null, null);
    }

    /** The same outcome of a kept conversation, noted (counted by {@code note}; {@code detail} says why). */
    public StageOutcome noted(String note, String detail) {
        if (dropped()) {
            throw new IllegalStateException("a dropped conversation has its reason, not a note");
        }
        return new StageOutcome(conversation, changed, null, Objects.requireNonNull(note), detail);
    }

    public boolean dropped() {
        return dropReason != null;
    }
}
