package org.chatcorpus.core.io.parquet;

import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;

/**
 * Collects one Parquet row's fields as the converters deliver them, then builds the Conversation
 * or reports the first problem (naming the field path). Reused across rows of one reader.
 */
final class RowBuilder {
    String conversationId;
    String model;
    List<Message> messages;
    Long turn;
    String language;
    List<Moderation> moderation;
    Boolean redacted;
    String userId;
    Double tstamp;
    String problem;

    void reset() {
        conversationId = null;
        model = null;
        messages = null;
        turn = null;
        language = null;
        moderation = null;
        redacted = null;
        userId = null;
        tstamp = null;
        problem = null;
    }

    void problem(String p) {
        if (problem == null) {
            problem = p;
        }
    }

    /** The row as a Conversation; {@code projected} relaxes the required columns a projection left out. */
    Conversation build(boolean needId, boolean needModel, boolean needConversation) {
        if (problem != null) {
            return null;
        }
        if (needId && conversationId == null) {
            problem = "field `conversation_id` is null";
            return null;
        }
        if (needModel && model == null) {
            problem = "field `model` is null";
            return null;
        }
        if (needConversation && messages == null) {
            problem = "field `conversation` is null";
            return null;
        }
        List<Message> msgs = messages == null ? List.of() : messages;
        List<Moderation> mod = moderation == null ? List.of() : moderation;
        if (!mod.isEmpty() && messages != null && mod.size() != msgs.size()) {
            problem = "field `openai_moderation` has " + mod.size() + " entries for " + msgs.size() + " messages";
            return null;
        }
        long t = turn != null ? turn : Conversation.turnsOf(msgs);
        return new Conversation(conversationId == null ? "" : conversationId, model == null ? "" : model, msgs, t,
                language, mod, redacted != null && redacted, userId, tstamp);
    }

    List<Message> messages() {
        if (messages == null) {
            messages = new ArrayList<>();
        }
        return messages;
    }

    List<Moderation> moderation() {
        if (moderation == null) {
            moderation = new ArrayList<>();
        }
        return moderation;
    }
}
