package org.chatcorpus.core.model;

import java.util.List;
import java.util.Objects;

/**
 * One conversation in the LMSYS-Chat-1M schema.
 *
 * <p>Release columns, in order: {@code conversation_id}, {@code model}, {@code conversation},
 * {@code turn}, {@code language}, {@code openai_moderation}, {@code redacted}.
 * {@code userId} and {@code tstamp} are collection-side fields: readers fill them where the
 * source has them (FastChat logs), statistics use them, and the release writer drops them, as
 * the seed system did. They are null when unknown.
 *
 * <p>{@code openaiModeration} is empty when the conversation has not been moderated yet, and
 * otherwise has one entry per message.
 */
public record Conversation(
        String conversationId,
        String model,
        List<Message> conversation,
        long turn,
        String language,
        List<Moderation> openaiModeration,
        boolean redacted,
        String userId,
        Double tstamp) {

    public Conversation {
        Objects.requireNonNull(conversationId, "conversation_id");
        Objects.requireNonNull(model, "model");
        conversation = List.copyOf(conversation);
        language = language == null ? "" : language;
        openaiModeration = openaiModeration == null ? List.of() : List.copyOf(openaiModeration);
    }

    /** {@code turn = len(conversation) // 2}, as FastChat's clean_chat_data.py computes it. */
    public static long turnsOf(List<Message> messages) {
        return messages.size() / 2;
    }

    /** A conversation with only the fields every source has; turn derived from the messages. */
    public static Conversation of(String conversationId, String model, List<Message> messages) {
        return new Conversation(conversationId, model, messages, turnsOf(messages), "", List.of(), false, null, null);
    }

    public Conversation withMessages(List<Message> messages) {
        return new Conversation(conversationId, model, messages, turn, language, openaiModeration, redacted, userId, tstamp);
    }

    public Conversation withConversationId(String id) {
        return new Conversation(id, model, conversation, turn, language, openaiModeration, redacted, userId, tstamp);
    }

    public Conversation withTurn(long newTurn) {
        return new Conversation(conversationId, model, conversation, newTurn, language, openaiModeration, redacted, userId, tstamp);
    }

    public Conversation withLanguage(String lang) {
        return new Conversation(conversationId, model, conversation, turn, lang, openaiModeration, redacted, userId, tstamp);
    }

    public Conversation withModeration(List<Moderation> moderation) {
        return new Conversation(conversationId, model, conversation, turn, language, moderation, redacted, userId, tstamp);
    }

    public Conversation withRedacted(List<Message> messages, boolean isRedacted) {
        return new Conversation(conversationId, model, messages, turn, language, openaiModeration, isRedacted, userId, tstamp);
    }

    public Conversation withCollection(String user, Double time) {
        return new Conversation(conversationId, model, conversation, turn, language, openaiModeration, redacted, user, time);
    }

    /** The release view: the same record with the collection-side fields dropped. */
    public Conversation forRelease() {
        return userId == null && tstamp == null ? this
                : new Conversation(conversationId, model, conversation, turn, language, openaiModeration, redacted, null, null);
    }

    /** True when any message was flagged by moderation. */
    public boolean flagged() {
        for (Moderation m : openaiModeration) {
            if (m.flagged()) {
                return true;
            }
        }
        return false;
    }

    /** The first user message's text, or "" when there is none. */
    public String firstPrompt() {
        for (Message m : conversation) {
            if (m.isUser()) {
                return m.content();
            }
        }
        return "";
    }
}
