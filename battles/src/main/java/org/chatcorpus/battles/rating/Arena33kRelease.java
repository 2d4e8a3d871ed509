package org.chatcorpus.battles.rating;

import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.battles.io.BattleLogCleaner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.random.PythonRandom;

/**
 * The chain that made lmsys/chatbot_arena_conversations (FastChat's arena_33k scripts, July 2023):
 * <ol>
 *   <li>clean_battle_data.py --mode conv_release (ff9d8d2d): votes to battles with that commit's
 *       rules ({@link BattleLogCleaner#arena33k}), anonymous battles only;</li>
 *   <li>tag_openai_moderation.py: {@code openai_moderation} of conversation_a's user prompts joined
 *       by "\n" (when a moderator is given);</li>
 *   <li>filter_bad_conv.py ({@link Arena33kFilter}); its {@code --sample} took the first n, the
 *       shuffle being commented out, so it is not repeated here;</li>
 *   <li>sample.py: {@code random.seed(0); random.shuffle(convs); convs[:n]} in CPython's order
 *       ({@link PythonRandom}; the seed is configurable, 0 by default);</li>
 *   <li>merge_field.py: {@code toxic_chat_tag} by question_id from a tag file (when given).</li>
 * </ol>
 * Battles are small (tens of thousands), so the chain works in memory.
 */
public final class Arena33kRelease {
    /** sample.py's seed. */
    public static final long SEED = 0;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param blockedWords  filter_bad_conv.py's blocked_words.json
     * @param moderator     text → moderation, or null to leave openai_moderation empty
     * @param toxicChatTags question_id → toxic_chat tag (merge_field.py's tag file), or null
     * @param sample        sample.py's number; 0 or less keeps everything in time order
     * @param seed          sample.py's seed
     */
    public record Options(List<String> blockedWords, Function<String, Moderation> moderator, Map<String, JsonNode> toxicChatTags,
            long sample, long seed) {
    }

    /** The battles released, and what each step kept and dropped (by reason), in order. */
    public record Result(List<Battle> battles, Map<String, Long> counts) {
    }

    private Arena33kRelease() {
    }

    public static Result run(List<Path> logs, Function<String, String> languageOf, Options o, Quarantine quarantine) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        BattleLogCleaner.Result cleaned = BattleLogCleaner.arena33k(languageOf).clean(logs, quarantine);
        counts.put("votes", cleaned.counts().votes());
        counts.put("clean.invalid", cleaned.counts().invalid());
        counts.put("clean.leaked_identity", cleaned.counts().leakedIdentity());
        List<Battle> battles = new ArrayList<>();
        for (Battle b : cleaned.battles()) {
            if (b.anony()) {
                battles.add(o.moderator() == null ? b : b.withModeration(o.moderator().apply(b.userPromptsA())));
            }
        }
        counts.put("conv_release.named_dropped", (long) cleaned.battles().size() - battles.size());

        Arena33kFilter filter = Arena33kFilter.over(battles, o.blockedWords());
        List<Battle> kept = new ArrayList<>();
        for (Battle b : battles) {
            String reason = filter.reason(b);
            if (reason == null) {
                kept.add(b);
            } else {
                counts.merge("filter." + reason, 1L, Long::sum);
            }
        }
        if (o.sample() > 0) {
            new PythonRandom(o.seed()).shuffle(kept);
            int before = kept.size();
            kept = new ArrayList<>(kept.subList(0, (int) Math.min(o.sample(), kept.size())));
            counts.put("sample.not_sampled", (long) before - kept.size());
        }
        if (o.toxicChatTags() != null) {
            long missing = 0;
            for (int i = 0; i < kept.size(); i++) {
                JsonNode tag = o.toxicChatTags().get(kept.get(i).questionId());
                if (tag == null) {
                    missing++; // merge_field.py stops with a KeyError; we keep the battle with a null tag and count it
                } else {
                    kept.set(i, kept.get(i).withToxicChatTag(tag));
                }
            }
            counts.put("merge.missing_toxic_chat_tag", missing);
        }
        counts.put("released", (long) kept.size());
        return new Result(List.copyOf(kept), counts);
    }

    /** merge_field.py's tag file: a JSON array (or JSON lines) of {question_id, toxic_chat}. */
    public static Map<String, JsonNode> readToxicChatTags(Path file) throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        String text = java.nio.file.Files.readString(file);
        List<JsonNode> rows = new ArrayList<>();
        if (text.stripLeading().startsWith("[")) {
            JSON.readTree(text).forEach(rows::add);
        } else {
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    rows.add(JSON.readTree(line));
                }
            }
        }
        int n = 0;
        for (JsonNode r : rows) {
            n++;
            JsonNode id = r.get("question_id");
            JsonNode tag = r.get("toxic_chat");
            if (id == null || !id.isTextual() || tag == null) {
                throw new IOException(file + ": record " + n + " needs `question_id` (a string) and `toxic_chat`, as merge_field.py reads them");
            }
            out.put(id.asText(), tag);
        }
        return out;
    }
}
