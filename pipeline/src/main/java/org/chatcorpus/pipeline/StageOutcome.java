package org.chatcorpus.pipeline;

import java.util.Objects;
import org.chatcorpus.core.model.Conversation;

/**
 * What a stage did with one conversation. Exactly one of: kept unchanged, kept changed (with the
 * new conversation), dropped (with a reason that is counted by the runner, e.g. "blocked_word").
 */
public record StageOutcome(Conversation conversation, boolean changed, String dropReason) {

    public static StageOutcome keep(Conversation c) {
        return new StageOutcome(Objects.requireNonNull(c), false, null);
    }

    public static StageOutcome change(Conversation c) {
        return new StageOutcome(Objects.requireNonNull(c), true, null);
    }

    public static StageOutcome drop(String reason) {
        return new StageOutcome(null, false, Objects.requireNonNull(reason));
    }

    public boolean dropped() {
        return dropReason != null;
    }
}
