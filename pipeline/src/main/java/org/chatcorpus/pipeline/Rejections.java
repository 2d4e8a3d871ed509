package org.chatcorpus.pipeline;

import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.model.Conversation;

/** The quarantine lines a runner writes for what stages drop or note, the same for every engine. */
public final class Rejections {
    private Rejections() {
    }

    /** A conversation a stage dropped, with the reason. */
    public static QuarantinedRecord dropped(String stage, Conversation c, String reason) {
        return new QuarantinedRecord("stage " + stage, "conversation_id " + c.conversationId(), reason, firstChars(c));
    }

    /** A conversation a stage kept with a note (e.g. moderate's "unmoderated"). */
    public static QuarantinedRecord noted(String stage, Conversation c, StageOutcome o) {
        return new QuarantinedRecord("stage " + stage, "conversation_id " + c.conversationId(),
                o.note() + (o.noteDetail() == null ? "" : ": " + o.noteDetail()) + "; kept", firstChars(c));
    }

    /** The file a stage's notes are listed in, beside the quarantine: STAGE.NOTE.jsonl. */
    public static String noteFile(String stage, StageOutcome o) {
        return stage + "." + o.note();
    }

    private static String firstChars(Conversation c) {
        String p = c.firstPrompt();
        return p.length() > 500 ? p.substring(0, 500) + "…" : p;
    }
}
