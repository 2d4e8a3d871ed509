package org.chatcorpus.battles.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.core.io.RecordException;

/**
 * One JSON object (or Parquet row) of the Arena battle layouts as a {@link Battle}. The layouts
 * share their core columns and differ in the rest:
 * <ul>
 *   <li>clean-battle (FastChat's clean_battle_data.py): model_a, model_b, winner, judge, turn,
 *       anony, language, tstamp, and question_id, conversation_a/b in "conv_release" mode only;</li>
 *   <li>arena-33k (lmsys/chatbot_arena_conversations): the same plus openai_moderation and
 *       toxic_chat_tag;</li>
 *   <li>arena-100k / 140k (the later human-preference releases): judge_hash instead of judge,
 *       conv_metadata, is_code, is_refusal, category_tag, dedup_tag; the 140k release names the
 *       question {@code id}, says "both_bad", may give a timestamp as text and message content as
 *       a list of typed parts ({@code [{type: "text", text}]}) or a whole conversation as a JSON string.</li>
 * </ul>
 * Columns not in the model are kept in {@link Battle#extra()} in source order.
 */
final class ArenaRecords {
    static final String CLEAN_BATTLE = "clean-battle";
    static final String ARENA_33K = "arena-33k";
    static final String ARENA_100K = "arena-100k";

    private static final Set<String> MODEL_COLUMNS = Set.of("question_id", "id", "model_a", "model_b", "winner", "judge",
            "judge_hash", "conversation_a", "conversation_b", "turn", "anony", "language", "tstamp", "timestamp");
    private static final Set<String> LATER_RELEASE_MARKERS = Set.of("judge_hash", "category_tag", "conv_metadata", "is_code",
            "dedup_tag", "evaluation_order", "full_conversation");

    private ArenaRecords() {
    }

    /** Whether these top-level keys are an Arena battle record at all. */
    static boolean isBattle(Collection<String> keys) {
        return keys.contains("model_a") && keys.contains("model_b") && keys.contains("winner");
    }

    /** How a file holds its records: the layouts are told apart partly by that. */
    enum Container { PARQUET, JSON_ARRAY, JSON_LINES }

    /**
     * Which layout a record with these keys is. The moderation columns mark arena-33k and the later
     * columns the 100k/140k releases; otherwise a JSON array (what json.dump writes) or records
     * without conversations (clean_battle's simple mode) are clean-battle, and JSON lines or
     * Parquet with conversations (how the releases are published) arena-33k.
     */
    static String layoutOf(Collection<String> keys, Container container) {
        if (keys.contains("openai_moderation") || keys.contains("toxic_chat_tag")) {
            return ARENA_33K;
        }
        if (keys.stream().anyMatch(LATER_RELEASE_MARKERS::contains)) {
            return ARENA_100K;
        }
        if (container == Container.PARQUET) {
            return ARENA_33K;
        }
        return container == Container.JSON_ARRAY || !keys.contains("conversation_a") ? CLEAN_BATTLE : ARENA_33K;
    }

    static Battle map(JsonNode r) throws RecordException {
        String modelA = requiredText(r, "model_a");
        String modelB = requiredText(r, "model_b");
        JsonNode w = r.get("winner");
        if (w == null || w.isNull()) {
            throw RecordException.missing("winner");
        }
        if (!w.isTextual()) {
            throw RecordException.wrongType("winner", w, "a string");
        }
        Winner winner;
        try {
            winner = Winner.ofLabel(w.asText());
        } catch (IllegalArgumentException e) {
            throw new RecordException("field `winner`: " + e.getMessage());
        }
        String id = optionalText(r, r.has("question_id") ? "question_id" : "id");
        String judge = optionalText(r, r.has("judge") ? "judge" : "judge_hash");
        List<BattleMessage> a = conversation(r, "conversation_a");
        List<BattleMessage> b = conversation(r, "conversation_b");
        JsonNode turnNode = r.get("turn");
        long turn;
        if (turnNode == null || turnNode.isNull()) {
            turn = a.size() / 2;
        } else if (turnNode.canConvertToLong() && turnNode.isIntegralNumber()) {
            turn = turnNode.asLong();
        } else {
            throw RecordException.wrongType("turn", turnNode, "an integer");
        }
        JsonNode anonyNode = r.get("anony");
        boolean anony = anonyNode == null || anonyNode.isNull() || anonyNode.asBoolean(true);
        String language = optionalText(r, "language");
        double tstamp = tstamp(r.has("tstamp") ? r.get("tstamp") : r.get("timestamp"));
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!MODEL_COLUMNS.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        return new Battle(id, modelA, modelB, winner, judge, a, b, turn, anony, language, tstamp, extra);
    }

    static String requiredText(JsonNode r, String field) throws RecordException {
        JsonNode n = r.get(field);
        if (n == null || n.isNull()) {
            throw RecordException.missing(field);
        }
        if (!n.isTextual()) {
            throw RecordException.wrongType(field, n, "a string");
        }
        return n.asText();
    }

    /** Text of an optional field; numbers (Kaggle and 140k ids) become their decimal text. */
    static String optionalText(JsonNode r, String field) throws RecordException {
        JsonNode n = r.get(field);
        if (n == null || n.isNull()) {
            return "";
        }
        if (n.isTextual() || n.isIntegralNumber()) {
            return n.asText();
        }
        throw RecordException.wrongType(field, n, "a string");
    }

    /** Seconds since the epoch from seconds, ms, µs or ns numbers, or ISO-8601 text; NaN when absent. */
    static double tstamp(JsonNode n) throws RecordException {
        if (n == null || n.isNull()) {
            return Double.NaN;
        }
        if (n.isNumber()) {
            double v = n.asDouble();
            double abs = Math.abs(v);
            return abs > 1e17 ? v / 1e9 : abs > 1e14 ? v / 1e6 : abs > 1e11 ? v / 1e3 : v;
        }
        if (n.isTextual()) {
            String s = n.asText().trim();
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException notNumber) {
                try {
                    Instant t = Instant.parse(s.contains("T") ? s : s.replace(' ', 'T') + (s.endsWith("Z") ? "" : "Z"));
                    return t.getEpochSecond() + t.getNano() / 1e9;
                } catch (DateTimeParseException e) {
                    throw new RecordException("field `tstamp` is '" + s + "', expected seconds since 1970 or an ISO-8601 time");
                }
            }
        }
        throw RecordException.wrongType("tstamp", n, "a number");
    }

    /** [{role, content}] with content text, null, or typed parts; a JSON string holding that list is parsed. */
    static List<BattleMessage> conversation(JsonNode r, String field) throws RecordException {
        JsonNode n = r.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (n.isTextual()) {
            try {
                n = JsonRecords.JSON.readTree(n.asText());
            } catch (java.io.IOException e) {
                throw new RecordException("field `" + field + "` is text that is not a JSON list of messages");
            }
        }
        if (!n.isArray()) {
            throw RecordException.wrongType(field, n, "a list of {role, content}");
        }
        List<BattleMessage> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode m = n.get(i);
            String path = field + "[" + i + "]";
            if (!m.isObject()) {
                throw RecordException.wrongType(path, m, "an object {role, content}");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) {
                throw role == null ? RecordException.missing(path + ".role") : RecordException.wrongType(path + ".role", role, "a string");
            }
            out.add(new BattleMessage(role.asText(), content(m.get("content"), path + ".content")));
        }
        return out;
    }

    private static String content(JsonNode c, String path) throws RecordException {
        if (c == null || c.isNull()) {
            return null;
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (c.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : c) {
                JsonNode t = part.isTextual() ? part : part.get("text");
                if (t != null && t.isTextual() && (part.isTextual() || !part.has("type") || "text".equals(part.path("type").asText()))) {
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    text.append(t.asText());
                }
            }
            return text.toString();
        }
        throw RecordException.wrongType(path, c, "a string");
    }
}
