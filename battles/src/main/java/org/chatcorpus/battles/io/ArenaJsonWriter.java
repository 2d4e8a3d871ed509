package org.chatcorpus.battles.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;

/**
 * Writes battles in the Arena layouts:
 * <ul>
 *   <li>arena-33k: JSON lines in the column order of lmsys/chatbot_arena_conversations
 *       (question_id, model_a, model_b, winner, judge, conversation_a, conversation_b, turn, anony,
 *       language, tstamp, then the source's other columns such as openai_moderation);</li>
 *   <li>clean-battle: one JSON array, indented by two as FastChat's json.dump(indent=2) writes
 *       clean_battle_*.json, with the same columns.</li>
 * </ul>
 * Unlabeled battles have no Arena spelling and are not written (the caller counts them); a
 * missing time is written as null.
 */
public final class ArenaJsonWriter implements AutoCloseable {
    private final Writer writer;
    /** The array's generator; null for JSON lines. */
    private final JsonGenerator out;

    public ArenaJsonWriter(Writer writer, boolean array) throws IOException {
        this.writer = writer;
        this.out = array ? JsonRecords.JSON.getFactory().createGenerator(writer) : null;
        if (array) {
            DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n"));
            out.setPrettyPrinter(pp);
            out.writeStartArray();
        }
    }

    public void write(Battle b) throws IOException {
        ObjectNode row = JsonRecords.JSON.createObjectNode();
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
        if (Double.isNaN(b.tstamp())) {
            row.putNull("tstamp");
        } else {
            row.put("tstamp", b.tstamp());
        }
        for (Map.Entry<String, JsonNode> e : b.extra().entrySet()) {
            if (!row.has(e.getKey())) {
                row.set(e.getKey(), e.getValue());
            }
        }
        if (out != null) {
            JsonRecords.JSON.writeTree(out, row);
        } else {
            writer.write(JsonRecords.JSON.writeValueAsString(row));
            writer.write('\n');
        }
    }

    private static ArrayNode messages(List<BattleMessage> conv) {
        ArrayNode a = JsonRecords.JSON.createArrayNode();
        for (BattleMessage m : conv) {
            ObjectNode o = a.addObject();
            o.put("content", m.content());
            o.put("role", m.role());
        }
        return a;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.writeEndArray();
            out.writeRaw('\n');
            out.close();
        }
        writer.close();
    }
}
