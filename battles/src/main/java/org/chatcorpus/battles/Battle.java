package org.chatcorpus.battles;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.chatcorpus.core.model.Conversation;

/**
 * One judged battle between two models: the layout FastChat's clean_battle_data.py writes and every
 * later public release extends ({@code question_id, model_a, model_b, winner, judge,
 * conversation_a, conversation_b, turn, anony, language, tstamp}).
 *
 * <p>{@code winner} is null for unlabeled battles (Kaggle test rows, mined pairs); model names are
 * "" where a source hides them (Kaggle test). {@code tstamp} is NaN where a source has no time.
 * {@code extra} keeps, in source order, every other column of the source (openai_moderation,
 * toxic_chat_tag, judge_hash, category_tag, …) so that writers of the same layout give them back.
 * {@code judge} is whatever the source calls its judge; the Arena's own logs give a sanitized key,
 * never an IP.
 */
public record Battle(
        String questionId,
        String modelA,
        String modelB,
        Winner winner,
        String judge,
        List<BattleMessage> conversationA,
        List<BattleMessage> conversationB,
        long turn,
        boolean anony,
        String language,
        double tstamp,
        Map<String, JsonNode> extra) {

    public Battle {
        questionId = questionId == null ? "" : questionId;
        Objects.requireNonNull(modelA, "model_a");
        Objects.requireNonNull(modelB, "model_b");
        judge = judge == null ? "" : judge;
        conversationA = conversationA == null ? List.of() : List.copyOf(conversationA);
        conversationB = conversationB == null ? List.of() : List.copyOf(conversationB);
        language = language == null ? "" : language;
        extra = extra == null || extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** A battle with only what the rating systems need (tests, benchmarks, imported vote tables). */
    public static Battle of(String modelA, String modelB, Winner winner) {
        return new Battle("", modelA, modelB, winner, "", List.of(), List.of(), 0, true, "", 0, Map.of());
    }

    public boolean labeled() {
        return winner != null;
    }

    /** The same battle with the sides swapped (and the outcome with them). */
    public Battle swapped() {
        return new Battle(questionId, modelB, modelA, winner == null ? null : winner.swapped(), judge, conversationB,
                conversationA, turn, anony, language, tstamp, extra);
    }

    /** The same battle without the source's other columns (comparing battles read from different layouts). */
    public Battle withoutExtra() {
        return new Battle(questionId, modelA, modelB, winner, judge, conversationA, conversationB, turn, anony, language, tstamp, Map.of());
    }

    public Battle withQuestionId(String id) {
        return new Battle(id, modelA, modelB, winner, judge, conversationA, conversationB, turn, anony, language, tstamp, extra);
    }

    public Battle withLanguage(String lang) {
        return new Battle(questionId, modelA, modelB, winner, judge, conversationA, conversationB, turn, anony, lang, tstamp, extra);
    }

    /**
     * The same battle tagged with the moderation of its side-A prompts, in the arena-33k column
     * {@code openai_moderation} ({categories, category_scores, flagged}, as the API answers).
     */
    public Battle withModeration(org.chatcorpus.core.model.Moderation m) {
        com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ObjectNode cats = o.putObject("categories");
        com.fasterxml.jackson.databind.node.ObjectNode scores = o.putObject("category_scores");
        for (org.chatcorpus.core.model.ModerationCategory c : org.chatcorpus.core.model.ModerationCategory.all()) {
            cats.put(c.label(), m.category(c));
            scores.put(c.label(), m.score(c));
        }
        o.put("flagged", m.flagged());
        return withExtra("openai_moderation", o);
    }

    /** The same battle with the ToxicChat tag merged by question_id (arena_33k/merge_field.py), kept as given. */
    public Battle withToxicChatTag(JsonNode tag) {
        return withExtra("toxic_chat_tag", tag);
    }

    /**
     * The same battle with the arena-33k release's two tag columns present, null where not tagged
     * (lmsys/chatbot_arena_conversations has both on every row).
     */
    public Battle withArena33kColumns() {
        Battle b = this;
        for (String tag : new String[] {"openai_moderation", "toxic_chat_tag"}) {
            if (!b.extra.containsKey(tag)) {
                b = b.withExtra(tag, com.fasterxml.jackson.databind.node.NullNode.getInstance());
            }
        }
        return b;
    }

    private Battle withExtra(String key, JsonNode value) {
        Map<String, JsonNode> e = new LinkedHashMap<>(extra);
        e.put(key, value);
        return new Battle(questionId, modelA, modelB, winner, judge, conversationA, conversationB, turn, anony, language, tstamp, e);
    }

    /** The user prompts of conversation_a joined by "\n": the text tag_openai_moderation.py sent to the moderation API. */
    public String userPromptsA() {
        java.util.StringJoiner joined = new java.util.StringJoiner("\n");
        for (BattleMessage m : conversationA) {
            if (m.isUser()) {
                joined.add(m.text());
            }
        }
        return joined.toString();
    }

    public Battle withWinner(Winner w) {
        return new Battle(questionId, modelA, modelB, w, judge, conversationA, conversationB, turn, anony, language, tstamp, extra);
    }

    /** Side A as a conversation of the release schema: {@code <question_id>-a}, model_a. */
    public Conversation sideA() {
        return side("a", modelA, conversationA);
    }

    /** Side B as a conversation of the release schema: {@code <question_id>-b}, model_b. */
    public Conversation sideB() {
        return side("b", modelB, conversationB);
    }

    private Conversation side(String suffix, String model, List<BattleMessage> messages) {
        var msgs = BattleMessage.toMessages(messages);
        return new Conversation(questionId + "-" + suffix, model.isEmpty() ? "unknown" : model, msgs, Conversation.turnsOf(msgs),
                language, List.of(), false, judge.isEmpty() ? null : judge, Double.isNaN(tstamp) ? null : tstamp);
    }

    /** The first user prompt's text (side A's), or "". */
    public String firstPrompt() {
        for (BattleMessage m : conversationA) {
            if (m.isUser()) {
                return m.text();
            }
        }
        return "";
    }
}
