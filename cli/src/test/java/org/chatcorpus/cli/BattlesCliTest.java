package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatcorpus.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.battles.io.BattleWriters;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preference-data verbs in-process: leaderboard, battles convert, pairs, preference, and stats on a battle file. */
class BattlesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path kaggle;

    @BeforeEach
    void kaggleFile() throws Exception {
        String[] models = {"vicuna-13b", "koala-13b", "alpaca-13b", "chatglm-6b"};
        SplittableRandom rnd = new SplittableRandom(5);
        List<Battle> battles = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int a = rnd.nextInt(4);
            int b = (a + 1 + rnd.nextInt(3)) % 4;
            Winner w = rnd.nextDouble() < 0.2 ? Winner.TIE : a < b == rnd.nextDouble() < 0.7 ? Winner.MODEL_A : Winner.MODEL_B;
            String prompt = "Prompt " + (i % 50) + " with \"quotes\", commas\nand é";
            battles.add(new Battle(Integer.toString(i + 1), models[a], models[b], w, "", List.of(BattleMessage.user(prompt),
                    BattleMessage.assistant("answer " + "x".repeat(i % 7 * 10))), List.of(BattleMessage.user(prompt),
                    BattleMessage.assistant(i % 11 == 0 ? null : "reply")), 1, true, "", Double.NaN, Map.of()));
        }
        kaggle = dir.resolve("train.csv");
        BattleWriters.write(battles, "kaggle", kaggle);
    }

    @Test
    void leaderboardReadsAKaggleFileAndKeepsItsJsonKeys() throws Exception {
        Path json = dir.resolve("lb.json");
        String out = run("leaderboard", kaggle.toString(), "--json", json.toString(), "--html", dir.resolve("html").toString(), "--rounds", "20");
        assertThat(out).contains("read: {kaggle=200}").contains("rank");
        JsonNode lb = JSON.readTree(json.toFile());
        assertThat(lb.get("battles").asLong()).isEqualTo(200);
        assertThat(lb.get("elo").size()).isEqualTo(4);
        assertThat(lb.get("bt").get("vicuna-13b").has("lower")).isTrue();
        assertThat(dir.resolve("html/index.html")).exists();
    }

    @Test
    void convertToArenaAndBackGivesTheSameBytes() throws Exception {
        Path arena = dir.resolve("arena.jsonl");
        Path back = dir.resolve("back.csv");
        run("battles", "convert", kaggle.toString(), "--to", "arena-33k", "--out", arena.toString());
        run("battles", "convert", arena.toString(), "--to", "kaggle", "--out", back.toString());
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(kaggle));
        run("battles", "convert", kaggle.toString(), "--to", "clean-battle", "--out", dir.resolve("clean.json").toString());
        assertThat(Files.readString(dir.resolve("clean.json"))).startsWith("[");
    }

    @Test
    void statsCountsEachSideOfABattleFileAsAConversation() {
        String out = run("stats", kaggle.toString(), "--tokenizer", "none");
        assertThat(out).contains("vicuna-13b");
    }

    @Test
    void pairsAndPreferenceMakeASubmission() throws Exception {
        Path pairs = dir.resolve("pairs.csv");
        run("pairs", kaggle.toString(), "--out", pairs.toString());
        assertThat(Files.readAllLines(pairs).get(0)).isEqualTo("id,model_a,model_b,prompt,response_a,response_b");
        Path model = dir.resolve("pref.model");
        String train = run("preference", "train", SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz").toString(), "--format", "hh-pairs",
                "--embedder", "none", "--folds", "3", "--out", model.toString());
        assertThat(train).contains("3-fold log loss").contains("class prior");
        Path submission = dir.resolve("submission.csv");
        run("preference", "predict", model.toString(), pairs.toString(), "--out", submission.toString());
        List<String> lines = Files.readAllLines(submission);
        assertThat(lines.get(0)).isEqualTo("id,winner_model_a,winner_model_b,winner_tie");
        assertThat(lines).hasSize(countRows(pairs) + 1); // cells hold line breaks: count CSV records, not lines
    }

    private static int countRows(Path csv) throws Exception {
        try (var parser = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(Files.newBufferedReader(csv))) {
            return parser.getRecords().size();
        }
    }
}
