package org.chatcorpus.core.io.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.io.RecordException;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.text.Utf16;

/**
 * The LMSYS-Chat-1M record as JSON, both ways: the release columns in the dataset's order, plus
 * the collection-side {@code user_id} / {@code tstamp} when present. Parsing checks every field's
 * type and names the field path on error. Text is scrubbed both ways by {@link Utf16}'s rule (an
 * unpaired surrogate becomes U+FFFD), so a lone-surrogate JSON escape neither reaches the
 * pipeline nor makes the UTF-8 generator throw.
 */
public final class ReleaseRecordJson {
    private ReleaseRecordJson() {
    }

    public static Conversation parse(JsonNode r) throws RecordException {
        String id = JsonRecordReader.text(r, "conversation_id", "conversation_id");
        String model = JsonRecordReader.text(r, "model", "model");
        List<Message> messages = messages(r.get("conversation"), "conversation", "role", "content");
        JsonNode turnNode = r.get("turn");
        long turn;
        if (turnNode == null || turnNode.isNull()) {
            turn = Conversation.turnsOf(messages);
        } else if (turnNode.canConvertToLong() && turnNode.isIntegralNumber()) {
            turn = turnNode.asLong();
        } else {
            throw RecordException.wrongType("turn", turnNode, "an integer");
        }
        String language = JsonRecordReader.optText(r, "language", "language", "");
        List<Moderation> moderation = moderation(r.get("openai_moderation"));
        if (!moderation.isEmpty() && moderation.size() != messages.size()) {
            throw new RecordException("field `openai_moderation` has " + moderation.size() + " entries for "
                    + messages.size() + " messages, expected one per message");
        }
        JsonNode red = r.get("redacted");
        if (red != null && !red.isNull() && !red.isBoolean()) {
            throw RecordException.wrongType("redacted", red, "a boolean");
        }
        String userId = null;
        JsonNode u = r.get("user_id");
        if (u != null && !u.isNull()) {
            userId = Utf16.scrub(u.asText()); // the seed used integer ids; keep their text
        }
        Double tstamp = null;
        JsonNode t = r.get("tstamp");
        if (t != null && !t.isNull()) {
            if (!t.isNumber()) {
                throw RecordException.wrongType("tstamp", t, "a number");
            }
            tstamp = t.asDouble();
        }
        return new Conversation(id, model, messages, turn, language, moderation, red != null && red.asBoolean(), userId, tstamp);
    }

    /** Messages from an array of objects with a role field and a content field (names vary by format). */
    static List<Message> messages(JsonNode arr, String path, String roleField, String contentField) throws RecordException {
        if (arr == null || arr.isNull()) {
            throw RecordException.missing(path);
        }
        if (!arr.isArray()) {
            throw RecordException.wrongType(path, arr, "an array of messages");
        }
        List<Message> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode m = arr.get(i);
            String p = path + "[" + i + "]";
            if (!m.isObject()) {
                throw RecordException.wrongType(p, m, "an object with `" + roleField + "` and `" + contentField + "`");
            }
            String role = JsonRecordReader.text(m, roleField, p + "." + roleField);
            String content = JsonRecordReader.text(m, contentField, p + "." + contentField);
            out.add(new Message(role, content));
        }
        return out;
    }

    private static List<Moderation> moderation(JsonNode arr) throws RecordException {
        if (arr == null || arr.isNull()) {
            return List.of();
        }
        if (!arr.isArray()) {
            throw RecordException.wrongType("openai_moderation", arr, "an array");
        }
        List<Moderation> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            String p = "openai_moderation[" + i + "]";
            JsonNode m = arr.get(i);
            if (!m.isObject()) {
                throw RecordException.wrongType(p, m, "an object");
            }
            JsonNode cats = m.get("categories");
            JsonNode scores = m.get("category_scores");
            if (cats == null || !cats.isObject()) {
                throw RecordException.wrongType(p + ".categories", cats, "an object");
            }
            if (scores == null || !scores.isObject()) {
                throw RecordException.wrongType(p + ".category_scores", scores, "an object");
            }
            boolean[] c = new boolean[ModerationCategory.COUNT];
            double[] s = new double[ModerationCategory.COUNT];
            for (ModerationCategory cat : ModerationCategory.all()) {
                JsonNode b = cats.get(cat.label());
                if (b != null && !b.isNull()) {
                    if (!b.isBoolean()) {
                        throw RecordException.wrongType(p + ".categories." + cat.label(), b, "a boolean");
                    }
                    c[cat.ordinal()] = b.asBoolean();
                }
                JsonNode d = scores.get(cat.label());
                if (d != null && !d.isNull()) {
                    if (!d.isNumber()) {
                        throw RecordException.wrongType(p + ".category_scores." + cat.label(), d, "a number");
                    }
                    s[cat.ordinal()] = d.asDouble();
                }
            }
            JsonNode f = m.get("flagged");
            if (f != null && !f.isNull() && !f.isBoolean()) {
                throw RecordException.wrongType(p + ".flagged", f, "a boolean");
            }
            out.add(new Moderation(c, s, f != null && f.asBoolean()));
        }
        return out;
    }

    /** Writes the record; collection-side fields only when {@code withCollection} and present. */
    public static void write(Conversation c, JsonGenerator g, boolean withCollection) throws IOException {
        g.writeStartObject();
        g.writeStringField("conversation_id", Utf16.scrub(c.conversationId()));
        g.writeStringField("model", Utf16.scrub(c.model()));
        g.writeArrayFieldStart("conversation");
        for (Message m : c.conversation()) {
            g.writeStartObject();
            g.writeStringField("content", Utf16.scrub(m.content()));
            g.writeStringField("role", Utf16.scrub(m.role()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("turn", c.turn());
        g.writeStringField("language", Utf16.scrub(c.language()));
        g.writeArrayFieldStart("openai_moderation");
        for (Moderation m : c.openaiModeration()) {
            g.writeStartObject();
            g.writeObjectFieldStart("categories");
            for (ModerationCategory cat : ModerationCategory.all()) {
                g.writeBooleanField(cat.label(), m.category(cat));
            }
            g.writeEndObject();
            g.writeObjectFieldStart("category_scores");
            for (ModerationCategory cat : ModerationCategory.all()) {
                g.writeNumberField(cat.label(), m.score(cat));
            }
            g.writeEndObject();
            g.writeBooleanField("flagged", m.flagged());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeBooleanField("redacted", c.redacted());
        if (withCollection) {
            if (c.userId() != null) {
                g.writeStringField("user_id", Utf16.scrub(c.userId()));
            }
            if (c.tstamp() != null) {
                g.writeNumberField("tstamp", c.tstamp());
            }
        }
        g.writeEndObject();
    }
}
