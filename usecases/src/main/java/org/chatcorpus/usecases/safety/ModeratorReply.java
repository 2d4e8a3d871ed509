package org.chatcorpus.usecases.safety;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * Reads a chat model's moderation answer: the first JSON object in the reply (models wrap it in
 * prose or code fences) with a boolean {@code flagged} and a {@code categories} list of category
 * names. Anything else is unreadable, which the caller counts as an error, never as a verdict.
 */
final class ModeratorReply {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private ModeratorReply() {
    }

    /** The verdict, or an error naming what was wrong with the reply. */
    static Verdict parse(String reply) {
        JsonNode obj = firstObject(reply);
        if (obj == null) {
            return Verdict.error("unreadable moderator reply (no JSON object): " + abbreviate(reply));
        }
        if (!obj.path("flagged").isBoolean()) {
            return Verdict.error("unreadable moderator reply (`flagged` is not true or false): " + abbreviate(reply));
        }
        JsonNode cats = obj.path("categories");
        if (!cats.isMissingNode() && !cats.isArray()) {
            return Verdict.error("unreadable moderator reply (`categories` is not a list): " + abbreviate(reply));
        }
        boolean[] c = new boolean[ModerationCategory.COUNT];
        double[] s = new double[ModerationCategory.COUNT];
        for (JsonNode n : cats) {
            ModerationCategory cat = ModerationCategory.byLabel(n.asText().strip().toLowerCase(java.util.Locale.ROOT));
            if (cat != null) {
                c[cat.ordinal()] = true;
                s[cat.ordinal()] = 1;
            }
        }
        return Verdict.of(new Moderation(c, s, obj.get("flagged").asBoolean()));
    }

    /** Tries each '{' in turn and returns the first complete JSON object that starts there. */
    static JsonNode firstObject(String text) {
        for (int i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) {
            try (JsonParser p = FACTORY.createParser(text.substring(i))) {
                JsonNode n = JSON.readTree(p);
                if (n != null && n.isObject()) {
                    return n;
                }
            } catch (IOException e) {
                // not an object here; try the next brace
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 120 ? one.substring(0, 120) + "…" : one;
    }
}
