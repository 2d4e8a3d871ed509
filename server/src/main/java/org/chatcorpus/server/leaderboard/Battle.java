package org.chatcorpus.server.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;

/**
 * One judged battle between two models, in the Chatbot Arena conversations layout
 * ({@code model_a, model_b, winner, conversation_a, conversation_b, turn, anony, language, tstamp},
 * and, once tagged, {@code openai_moderation} and {@code toxic_chat_tag}).
 * {@code judge} is a sanitized user key, never a raw IP.
 *
 * @param openaiModeration the moderation of the user prompts of conversation_a joined by "\n"
 *                         (tag_openai_moderation.py); null until tagged
 * @param toxicChatTag     the ToxicChat classifiers' tags merged by question_id (arena_33k/merge_field.py),
 *                         kept as given; null until merged
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
        double tstamp,
        Moderation openaiModeration,
        JsonNode toxicChatTag) {

    public Battle(String questionId, String modelA, String modelB, Winner winner, String judge, List<Message> conversationA,
            List<Message> conversationB, long turn, boolean anony, String language, double tstamp) {
        this(questionId, modelA, modelB, winner, judge, conversationA, conversationB, turn, anony, language, tstamp, null, null);
    }

    public Battle {
        Objects.requireNonNull(modelA, "model_a");
        Objects.requireNonNull(modelB, "model_b");
        Objects.requireNonNull(winner, "winner");
        conversationA = conversationA == null ? List.of() : List.copyOf(conversationA);
        conversationB = conversationB == null ? List.of() : List.copyOf(conversationB);
        language = language == null ? "" : language;
    }

    public Battle withLanguage(String lang) {
        return new Battle(questionId, modelA, modelB, winner, judge, conversationA, conversationB, turn, anony, lang, tstamp,
                openaiModeration, toxicChatTag);
    }

    public Battle withModeration(Moderation m) {
        return new Battle(questionId, modelA, modelB, winner, judge, conversationA, conversationB, turn, anony, language, tstamp,
                m, toxicChatTag);
    }

    public Battle withToxicChatTag(JsonNode tag) {
        return new Battle(questionId, modelA, modelB, winner, judge, conversationA, conversationB, turn, anony, language, tstamp,
                openaiModeration, tag);
    }

    /** The user prompts of conversation_a joined by "\n": the text tag_openai_moderation.py sent to the moderation API. */
    public String userPromptsA() {
        java.util.StringJoiner joined = new java.util.StringJoiner("\n");
        for (Message m : conversationA) {
            if (m.isUser()) {
                joined.add(m.content());
            }
        }
        return joined.toString();
    }

    /** A battle with only what the rating systems need (tests, benchmarks, imported vote tables). */
    public static Battle of(String modelA, String modelB, Winner winner) {
        return new Battle("", modelA, modelB, winner, "", List.of(), List.of(), 0, true, "", 0);
    }
}
