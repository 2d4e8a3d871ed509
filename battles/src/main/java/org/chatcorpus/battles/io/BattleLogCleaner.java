package org.chatcorpus.battles.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.json.ModelRenames;
import org.chatcorpus.core.model.Message;

/**
 * Turns FastChat vote events (leftvote, rightvote, tievote, bothbad_vote) into battles, as
 * FastChat's clean_battle_data.py does: the public model names decide whether a battle was
 * anonymous ("" or "Model A" means the names were hidden, and the hidden names come from
 * {@code states[i].model_name}); a vote with one name hidden and one shown is invalid, as is a
 * named battle whose public and hidden names disagree or whose offset is past the messages;
 * battles whose text leaks a model identity (the seed's IDENTITY_WORDS) are dropped; old model
 * names are renamed (replace_model_name); excluded models are dropped; battles are sorted by time.
 * Unlike the seed, the judge is always a sanitized key ("arena_user_N", N in order of first
 * appearance), never the raw IP.
 */
public final class BattleLogCleaner {
    private static final Set<String> VOTES = Set.of("tievote", "leftvote", "rightvote", "bothbad_vote");
    /** IDENTITY_WORDS of clean_battle_data.py as FastChat has it today (HEAD). */
    private static final List<String> IDENTITY_WORDS = List.of(
            "vicuna", "lmsys", "koala", "uc berkeley", "open assistant", "laion", "chatglm", "chatgpt",
            "gpt-4", "openai", "anthropic", "claude", "bard", "palm", "lamda", "google", "llama", "qianwan",
            "alibaba", "mistral", "zhipu", "keg lab", "01.ai", "ai2", "tülu",
            "network error due to high traffic. please regenerate or refresh this page.",
            "$moderation$ your input violates our content moderation guidelines.",
            "api request error. please increase the number of max tokens.",
            "**api request error** reason: the response was blocked.",
            "**api request error**");
    /**
     * IDENTITY_WORDS at the arena-33k release commit (ff9d8d2d, 2023-07-18): sixteen entries, no
     * "llama" (added in September) and none of the later names.
     */
    private static final List<String> IDENTITY_WORDS_ARENA_33K = List.of(
            "vicuna", "lmsys", "koala", "uc berkeley", "open assistant", "laion", "chatglm", "chatgpt",
            "openai", "anthropic", "claude", "bard", "palm", "lamda", "google",
            "network error due to high traffic. please regenerate or refresh this page.");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> excludedModels;
    private final Function<String, String> languageOf;
    private final List<String> identityWords;
    private final java.util.function.BiFunction<String, Double, String> rename;

    /**
     * Whether a battle's text (prompts and answers of both sides) names a model or shows an error
     * that gives one away; such a battle is not counted. The Arena asks this when the vote comes
     * in, to tell the voter, with the same words the cleaning uses.
     */
    public static boolean leaksIdentity(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return IDENTITY_WORDS.stream().anyMatch(lower::contains);
    }

    /** What the cleaning kept and dropped, as the seed prints it. */
    public record Counts(long votes, long invalid, long leakedIdentity, long anony, long malformed, long battles) {
    }

    public record Result(List<Battle> battles, Counts counts) {
    }

    /** Today's rules (the leaderboard's): HEAD's identity words and replace_model_name(name, tstamp). */
    public BattleLogCleaner(Set<String> excludedModels, Function<String, String> languageOf) {
        this(excludedModels, languageOf, IDENTITY_WORDS, ModelRenames::current);
    }

    private BattleLogCleaner(Set<String> excludedModels, Function<String, String> languageOf, List<String> identityWords,
            java.util.function.BiFunction<String, Double, String> rename) {
        this.excludedModels = Set.copyOf(excludedModels);
        this.languageOf = languageOf;
        this.identityWords = identityWords;
        this.rename = rename;
    }

    /**
     * The rules of the arena-33k release (clean_battle_data.py at ff9d8d2d): its sixteen identity
     * words, and model names renamed only by {@code name.replace("bard", "palm-2")}.
     */
    public static BattleLogCleaner arena33k(Function<String, String> languageOf) {
        return new BattleLogCleaner(Set.of(), languageOf, IDENTITY_WORDS_ARENA_33K, (name, tstamp) -> name.replace("bard", "palm-2"));
    }

    public static BattleLogCleaner withoutLanguage() {
        return new BattleLogCleaner(Set.of(), text -> "");
    }

    public Result clean(List<Path> logFiles, Quarantine quarantine) throws IOException {
        List<JsonNode> votes = new ArrayList<>();
        long malformed = 0;
        for (Path file : logFiles) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                long lineNo = 0;
                while ((line = in.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode row;
                    try {
                        row = JSON.readTree(line);
                    } catch (com.fasterxml.jackson.core.JacksonException e) {
                        malformed++;
                        quarantine.reject(new QuarantinedRecord(file.toString(), "line " + lineNo,
                                "not valid JSON: " + e.getOriginalMessage(), line));
                        continue;
                    }
                    if (row.isObject() && VOTES.contains(row.path("type").asText())) {
                        votes.add(row);
                    }
                }
            }
        }
        Map<String, Integer> judges = new HashMap<>();
        List<Battle> battles = new ArrayList<>();
        long invalid = 0;
        long leaked = 0;
        long anonyCount = 0;
        for (JsonNode row : votes) {
            JsonNode models = row.path("models");
            JsonNode states = row.path("states");
            if (!models.isArray() || models.size() < 2 || !states.isArray() || states.size() < 2) {
                invalid++;
                continue;
            }
            if (models.get(0).isNull() || models.get(1).isNull()) {
                continue; // the seed skips these silently, without counting them
            }
            String[] modelsPublic = {removeHtml(models.get(0).asText()), removeHtml(models.get(1).asText())};
            String[] modelsHidden = modelsPublic;
            if (states.get(0).has("model_name")) {
                JsonNode h0 = states.get(0).get("model_name");
                if (!h0.isNull()) {
                    modelsHidden = new String[] {h0.asText(), states.get(1).path("model_name").asText()};
                }
            }
            if (modelsPublic[0].isEmpty() != modelsPublic[1].isEmpty()) {
                invalid++;
                continue;
            }
            boolean anony;
            String[] names;
            if (modelsPublic[0].isEmpty() || modelsPublic[0].equals("Model A")) {
                anony = true;
                names = modelsHidden;
                anonyCount++;
            } else {
                anony = false;
                names = modelsPublic;
                if (!java.util.Arrays.equals(modelsPublic, modelsHidden)) {
                    invalid++;
                    continue;
                }
            }
            JsonNode first = states.get(0);
            JsonNode firstMessages = first.path("messages");
            int firstOffset = first.path("offset").asInt(0);
            if (!firstMessages.isArray() || firstOffset >= firstMessages.size()) {
                invalid++;
                continue;
            }
            String language = languageOf.apply(firstMessages.get(firstOffset).path(1).asText(""));
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 2; i++) {
                JsonNode s = states.get(i);
                JsonNode msgs = s.path("messages");
                for (int j = s.path("offset").asInt(0); j < msgs.size(); j++) {
                    JsonNode text = msgs.get(j).path(1);
                    if (text.isTextual()) {
                        all.append(text.asText().toLowerCase(Locale.ROOT));
                    }
                }
            }
            String text = all.toString();
            if (identityWords.stream().anyMatch(text::contains)) {
                leaked++;
                continue;
            }
            double tstamp = row.path("tstamp").asDouble(0);
            String modelA = rename.apply(names[0], tstamp);
            String modelB = rename.apply(names[1], tstamp);
            if (excludedModels.contains(modelA) || excludedModels.contains(modelB)) {
                invalid++;
                continue;
            }
            List<BattleMessage> convA = openAiFormat(states.get(0));
            List<BattleMessage> convB = openAiFormat(states.get(1));
            String ip = row.path("ip").asText("");
            int judge = judges.computeIfAbsent(ip, k -> judges.size());
            battles.add(new Battle(first.path("conv_id").asText(""), modelA, modelB,
                    Winner.ofVoteType(row.path("type").asText()), "arena_user_" + judge,
                    convA, convB, convA.size() / 2, anony, language, tstamp, Map.of()));
        }
        battles.sort(Comparator.comparingDouble(Battle::tstamp));
        return new Result(List.copyOf(battles),
                new Counts(votes.size(), invalid, leaked, anonyCount, malformed, battles.size()));
    }

    /** clean_battle_data.py's remove_html: "<h3>Model A: name</h3>\n" -> "name". */
    static String removeHtml(String raw) {
        if (raw.startsWith("<h3>")) {
            int colon = raw.indexOf(": ");
            int end = raw.length() - "</h3>\n".length();
            return colon >= 0 && end >= colon + 2 ? raw.substring(colon + 2, end) : raw;
        }
        return raw;
    }

    /** Messages from the state's offset, roles alternating user/assistant (to_openai_format). */
    private static List<BattleMessage> openAiFormat(JsonNode state) {
        JsonNode msgs = state.path("messages");
        List<BattleMessage> out = new ArrayList<>();
        int offset = state.path("offset").asInt(0);
        for (int j = offset; j < msgs.size(); j++) {
            JsonNode text = msgs.get(j).path(1);
            out.add(new BattleMessage((j - offset) % 2 == 0 ? Message.USER : Message.ASSISTANT, text.isTextual() ? text.asText() : ""));
        }
        return out;
    }
}
