package org.chatcorpus.usecases.safety;

import org.chatcorpus.core.model.Moderation;

/**
 * A moderator's answer about one message: a moderation, or the reason there is none (a failed
 * call, an unreadable reply). An error is never read as "not flagged".
 */
public record Verdict(Moderation moderation, String error) {
    public static Verdict of(Moderation m) {
        return new Verdict(m, null);
    }

    public static Verdict error(String reason) {
        return new Verdict(null, reason);
    }

    public boolean ok() {
        return moderation != null;
    }
}
