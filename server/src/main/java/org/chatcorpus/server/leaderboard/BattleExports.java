package org.chatcorpus.server.leaderboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * Writes battles in the two public layouts people train and evaluate on:
 * <ul>
 *   <li>the Chatbot Arena conversations layout (JSON lines): question_id, model_a, model_b,
 *       winner, judge, conversation_a, conversation_b, turn, anony, language, tstamp,
 *       openai_moderation ({categories, category_scores, flagged}, or null when not tagged) and
 *       toxic_chat_tag (as merged, or null), the columns of lmsys/chatbot_arena_conversations;</li>
 *   <li>the Kaggle "LMSYS - Chatbot Arena human preference" CSV: id, model_a, model_b, prompt,
 *       response_a, response_b, winner_model_a, winner_model_b, winner_tie, where prompt and
 *       responses are JSON lists of the user / assistant messages and both kinds of tie count
 *       as a tie.</li>
 * </ul>
 * Judges are sanitized keys; no raw address is ever written.
 */
public final class BattleExports {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BattleExports() {
    }

    public static void writeArenaConversations(List<Battle> battles, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Battle b : battles) {
                ObjectNode row = JSON.createObjectNode();
                row.put("question_id", b.questionId());
                row.put("model_a", b.modelA());
                row.put("model_b", b.modelB());
                row.put("winner", b.winner().label());
                row.put("judge", b.judge());
                row.set("conversation_a", messages(b.conversationA()));
                row.set("conversation_b", messages(b.conversationB()));
                row.put("turn", b.turn());
                row.put("anony", b.anony());
                row.put("language", b.language());
                row.put("tstamp", b.tstamp());
                if (b.openaiModeration() == null) {
                    row.putNull("openai_moderation");
                } else {
                    row.set("openai_moderation", moderation(b.openaiModeration()));
                }
                if (b.toxicChatTag() == null) {
                    row.putNull("toxic_chat_tag");
                } else {
                    row.set("toxic_chat_tag", b.toxicChatTag());
                }
                out.write(JSON.writeValueAsString(row));
                out.write('\n');
            }
        }
    }

    public static void writeHumanPreferenceCsv(List<Battle> battles, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n");
            for (Battle b : battles) {
                Winner w = b.winner();
                csvRow(out, List.of(
                        Long.toString(stableId(b)),
                        b.modelA(),
                        b.modelB(),
                        texts(b.conversationA(), Message.USER),
                        texts(b.conversationA(), Message.ASSISTANT),
                        texts(b.conversationB(), Message.ASSISTANT),
                        w == Winner.MODEL_A ? "1" : "0",
                        w == Winner.MODEL_B ? "1" : "0",
                        w == Winner.TIE || w == Winner.TIE_BOTHBAD ? "1" : "0"));
            }
        }
    }

    /** A non-negative id derived from the battle's question id and time, stable across exports. */
    static long stableId(Battle b) {
        long h = 1125899906842597L;
        String key = b.questionId() + "|" + b.tstamp() + "|" + b.modelA() + "|" + b.modelB();
        for (int i = 0; i < key.length(); i++) {
            h = 31 * h + key.charAt(i);
        }
        return h & Long.MAX_VALUE;
    }

    /** One OpenAI moderation result as the API answers it: categories, category_scores, flagged. */
    static ObjectNode moderation(Moderation m) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode cats = o.putObject("categories");
        ObjectNode scores = o.putObject("category_scores");
        for (ModerationCategory c : ModerationCategory.all()) {
            cats.put(c.label(), m.category(c));
            scores.put(c.label(), m.score(c));
        }
        o.put("flagged", m.flagged());
        return o;
    }

    private static ArrayNode messages(List<Message> conv) {
        ArrayNode a = JSON.createArrayNode();
        for (Message m : conv) {
            a.addObject().put("content", m.content()).put("role", m.role());
        }
        return a;
    }

    private static String texts(List<Message> conv, String role) throws IOException {
        ArrayNode a = JSON.createArrayNode();
        for (Message m : conv) {
            if (m.role().equals(role)) {
                a.add(m.content());
            }
        }
        return JSON.writeValueAsString(a);
    }

    /** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
    static void csvRow(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String f = fields.get(i);
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                out.write('"');
                out.write(f.replace("\"", "\"\""));
                out.write('"');
            } else {
                out.write(f);
            }
        }
        out.write('\n');
    }
}
