package org.chatcorpus.battles.rating;

import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.battles.io.BattleLogCleaner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arena_33k scripts (clean_battle_data.py at ff9d8d2d, filter_bad_conv.py, sample.py, merge_field.py). */
class Arena33kTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Battle battle(String id, String modelA, String modelB, String... prompts) {
        List<Message> a = new ArrayList<>();
        for (String p : prompts) {
            a.add(Message.user(p));
            a.add(Message.assistant("an answer long enough"));
        }
        return new Battle(id, modelA, modelB, Winner.MODEL_A, "arena_user_0", BattleMessage.of(a), BattleMessage.of(a), a.size() / 2, true, "English", 1,
                java.util.Map.of());
    }

    private static String vote(String convId, String hiddenA, String hiddenB, String prompt, String answer, double tstamp) throws Exception {
        var row = JSON.createObjectNode();
        row.put("tstamp", tstamp).put("type", "leftvote").put("ip", "198.51.100.1");
        row.putArray("models").add("").add("");
        var states = row.putArray("states");
        for (String hidden : List.of(hiddenA, hiddenB)) {
            var s = states.addObject();
            s.put("conv_id", convId).put("offset", 0).put("model_name", hidden);
            s.putArray("messages").add(JSON.createArrayNode().add("USER").add(prompt)).add(JSON.createArrayNode().add("ASSISTANT").add(answer));
        }
        return JSON.writeValueAsString(row);
    }

    @Test
    void shortFrequentMarkedBlockedAndFlaggedBattlesAreDroppedWithTheScriptsReasons() {
        List<Battle> battles = new ArrayList<>();
        battles.add(battle("short", "a", "b", "hi there"));
        battles.add(battle("long-enough", "a", "b", "a prompt of more than sixteen characters"));
        battles.add(battle("marked", "a", "b", "please write to <ANONYMIZED> about the plan"));
        battles.add(battle("blocked-model", "vicuna-33b", "b", "another prompt of more than sixteen"));
        battles.add(battle("blocked-word", "a", "b", "tell me about the secret plan in detail"));
        boolean[] cats = new boolean[ModerationCategory.all().size()];
        battles.add(battle("flagged", "a", "b", "yet another prompt, longer than sixteen").withModeration(new Moderation(cats, new double[cats.length], true)));
        Arena33kFilter f = Arena33kFilter.over(battles, List.of("secret plan"));
        // With fewer than ten distinct prompts every prompt is among the ten most frequent: all are too_frequent,
        // unless too_short came first, exactly as the script decides.
        assertThat(f.reason(battles.get(0))).isEqualTo("too_short");
        assertThat(f.reason(battles.get(1))).isEqualTo("too_frequent");
    }

    @Test
    void eachRuleWithTwelveDistinctPromptsSoOnlyRepeatedOnesAreFrequent() {
        List<Battle> battles = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // ten prompts asked three times, so they are the ten most frequent
            for (int k = 0; k < 3; k++) {
                battles.add(battle("rep" + i + "-" + k, "a", "b", "a popular question number " + i));
            }
        }
        battles.add(battle("marked", "a", "b", "please write to <ANONYMIZED> about the plan"));
        battles.add(battle("redacted", "a", "b", "my address is <redacted> as you know"));
        battles.add(battle("blocked-model", "mpt-30b-chat", "b", "another prompt of more than sixteen"));
        battles.add(battle("blocked-word", "a", "b", "tell me about the secret plan in detail"));
        battles.add(battle("upper-blocked-word", "a", "b", "tell me about the OTHER PLAN in detail"));
        boolean[] cats = new boolean[ModerationCategory.all().size()];
        battles.add(battle("flagged", "a", "b", "yet another prompt, longer than sixteen").withModeration(new Moderation(cats, new double[cats.length], true)));
        battles.add(battle("fine", "a", "b", "a fine prompt that nobody else asked"));
        Arena33kFilter f = Arena33kFilter.over(battles, List.of("secret plan", "OTHER PLAN"));
        assertThat(f.frequentPrompts()).hasSize(11).contains("");
        assertThat(f.reason(battles.get(0))).isEqualTo("too_frequent");
        Map<String, String> reasons = new java.util.LinkedHashMap<>();
        for (Battle b : battles.subList(36, battles.size())) {
            reasons.put(b.questionId(), f.reason(b) == null ? "kept" : f.reason(b));
        }
        assertThat(reasons).containsExactly(Map.entry("marked", "anonymized"), Map.entry("redacted", "redacted"),
                Map.entry("blocked-model", "blocked_model"), Map.entry("blocked-word", "blocked_word"),
                // the script compares blocked words as given with lower-cased text: an upper-case word never matches
                Map.entry("upper-blocked-word", "kept"), Map.entry("flagged", "flagged"), Map.entry("fine", "kept"));
    }

    /** Ten prompts asked three times each, early on: they are the script's ten most frequent and are dropped. */
    private static List<String> popularVotes() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k < 3; k++) {
                lines.add(vote("pop" + i + "-" + k, "koala-13b", "alpaca-13b", "a popular question number " + i, "answer", 10 + i));
            }
        }
        return lines;
    }

    @Test
    void pythonStripRemovesNoBreakSpacesToo() {
        assertThat(Arena33kFilter.normalise("\u00a0 Hello\t\n")).isEqualTo("hello");
    }

    @Test
    void theReleaseSamplesInCPythonsOrderWithSeedZeroAndMergesTags() throws Exception {
        List<String> lines = new ArrayList<>(popularVotes());
        for (int i = 0; i < 40; i++) {
            lines.add(vote("q" + i, "koala-13b", "bard", "question number " + i + " about something interesting", "answer " + i, 100 + i));
        }
        lines.add(vote("leak", "koala-13b", "alpaca-13b", "who made you, tell me please?", "I am Claude.", 99));
        Path log = dir.resolve("2023-07-01-conv.json");
        Files.write(log, lines);
        Path tags = dir.resolve("toxic.json");
        Files.writeString(tags, "[{\"question_id\": \"q0\", \"toxic_chat\": {\"t5-large\": {\"flagged\": false, \"score\": 0.1}}}]");
        Arena33kRelease.Options o = new Arena33kRelease.Options(List.of(), text -> Moderation.clean(),
                Arena33kRelease.readToxicChatTags(tags), 5, Arena33kRelease.SEED);
        Arena33kRelease.Result r = Arena33kRelease.run(List.of(log), text -> "English", o, Quarantine.counting());
        // python3 -c "import random; c=[f'q{i}' for i in range(40)]; random.seed(0); random.shuffle(c); print(c[:5])"
        assertThat(r.battles()).extracting(Battle::questionId).containsExactly("q0", "q27", "q12", "q21", "q29");
        assertThat(r.battles()).extracting(Battle::modelB).containsOnly("palm-2"); // bard -> palm-2, the one rename of ff9d8d2d
        assertThat(r.counts()).containsEntry("clean.leaked_identity", 1L).containsEntry("filter.too_frequent", 30L)
                .containsEntry("sample.not_sampled", 35L)
                .containsEntry("merge.missing_toxic_chat_tag", 4L).containsEntry("released", 5L);
        assertThat(r.battles().get(0).extra().get("toxic_chat_tag").get("t5-large").get("score").asDouble()).isEqualTo(0.1);
        assertThat(r.battles().get(0).extra().get("openai_moderation").get("flagged").asBoolean()).isFalse();
        assertThat(r.battles().get(0).language()).isEqualTo("English");
    }

    @Test
    void theReleaseRulesKeepNamesTheLeaderboardRenamesAndWordsAddedLater() throws Exception {
        Path log = dir.resolve("2023-07-02-conv.json");
        List<String> lines = new ArrayList<>(popularVotes());
        lines.add(vote("g", "gpt-4", "claude-2", "what is a llama, in a few sentences?", "An animal.", 50));
        Files.write(log, lines);
        Arena33kRelease.Result r = Arena33kRelease.run(List.of(log), text -> "English",
                new Arena33kRelease.Options(List.of(), null, null, 0, 0), Quarantine.counting());
        // "llama" became an identity word only in September 2023; gpt-4 snapshots and claude-2.0 came later too.
        assertThat(r.battles()).hasSize(1);
        assertThat(r.battles().get(0).modelA()).isEqualTo("gpt-4");
        assertThat(r.battles().get(0).modelB()).isEqualTo("claude-2");
        JsonNode current = JSON.valueToTree(BattleLogCleaner.withoutLanguage().clean(List.of(log), Quarantine.counting()).counts());
        assertThat(current.get("leakedIdentity").asLong()).isEqualTo(1);
    }
}
