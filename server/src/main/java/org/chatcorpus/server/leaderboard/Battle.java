package org.chatcorpus.server.leaderboard;

import java.util.List;
import java.util.Objects;
import org.chatcorpus.core.model.Message;

/**
 * One judged battle between two models, in the Chatbot Arena conversations layout
 * ({@code model_a, model_b, winner, conversation_a, conversation_b, turn, anony, language, tstamp}).
 * {@code judge} is a sanitized user key, never a raw IP.
 */
public record Battle(
        String questionId,
        String modelA,
        String modelB,
        Winner winner,
        String judge,
        List<Message> conversationA,
        List<Message> conversationB,
        long turn,
        boolean anony,
        String language,
        double tstamp) {

    public Battle {
        Objects.requireNonNull(modelA, "model_a");
        Objects.requireNonNull(modelB, "model_b");
        Objects.requireNonNull(winner, "winner");
        conversationA = conversationA == null ? List.of() : List.copyOf(conversationA);
        conversationB = conversationB == null ? List.of() : List.copyOf(conversationB);
        language = language == null ? "" : language;
    }

    /** A battle with only what the rating systems need (tests, benchmarks, imported vote tables). */
    public static Battle of(String modelA, String modelB, Winner winner) {
        return new Battle("", modelA, modelB, winner, "", List.of(), List.of(), 0, true, "", 0);
    }
}
