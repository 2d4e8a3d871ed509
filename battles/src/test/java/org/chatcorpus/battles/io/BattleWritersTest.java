package org.chatcorpus.battles.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatcorpus.battles.io.Fixtures.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BattleWritersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Battle BATTLE = new Battle("q1", "vicuna-13b", "koala-13b", Winner.TIE_BOTHBAD, "arena_user_0",
            List.of(BattleMessage.user("Say \"hi\", then a comma,\nplease"), BattleMessage.assistant("hi, there")),
            List.of(BattleMessage.user("Say \"hi\", then a comma,\nplease"), BattleMessage.assistant("<b>hi</b>")),
            1, true, "English", 1700000000.5, Map.of());

    @Test
    void aKaggleFileInTheCompetitionsStyleComesBackByteForByte(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("again.csv");
        BattleWriters.write(Fixtures.read(file("kaggle-train.csv"), "kaggle").battles(), "kaggle", out);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(file("kaggle-train.csv")));
    }

    @Test
    void kaggleToArena33kAndBackGivesTheSameParsedCells(@TempDir Path dir) throws Exception {
        List<Battle> original = Fixtures.read(file("kaggle-train-quirks.csv"), "kaggle").battles();
        Path arena = dir.resolve("arena.jsonl");
        BattleWriters.write(original, "arena-33k", arena);
        List<Battle> viaArena = Fixtures.read(arena, "arena-33k").battles();
        Path back = dir.resolve("back.csv");
        BattleWriters.write(viaArena, "kaggle", back);
        List<Battle> again = Fixtures.read(back, "kaggle").battles();
        assertThat(again).hasSameSizeAs(original);
        for (int i = 0; i < original.size(); i++) {
            Battle o = original.get(i);
            Battle a = again.get(i);
            assertThat(a.questionId()).isEqualTo(o.questionId());
            assertThat(a.modelA()).isEqualTo(o.modelA());
            assertThat(a.modelB()).isEqualTo(o.modelB());
            assertThat(a.winner()).isEqualTo(o.winner());
            for (String role : List.of("user", "assistant")) {
                assertThat(BattleMessage.contents(a.conversationA(), role)).isEqualTo(BattleMessage.contents(o.conversationA(), role));
                assertThat(BattleMessage.contents(a.conversationB(), role)).isEqualTo(BattleMessage.contents(o.conversationB(), role));
            }
        }
        // and the whole competition-style file, through arena-33k, byte for byte
        List<Battle> train = Fixtures.read(file("kaggle-train.csv"), "kaggle").battles();
        BattleWriters.write(train, "arena-33k", arena);
        BattleWriters.write(Fixtures.read(arena, "arena-33k").battles(), "kaggle", back);
        assertThat(Files.readString(back)).isEqualTo(Files.readString(file("kaggle-train.csv")));
    }

    @Test
    void arena33kLinesHaveTheReleaseColumnsThenTheSourcesOwn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("arena.jsonl");
        BattleWriters.write(List.of(BATTLE), "arena-33k", f);
        JsonNode row = JSON.readTree(Files.readAllLines(f).get(0));
        assertThat(row.fieldNames()).toIterable().containsExactly("question_id", "model_a", "model_b", "winner", "judge",
                "conversation_a", "conversation_b", "turn", "anony", "language", "tstamp");
        assertThat(row.get("winner").asText()).isEqualTo("tie (bothbad)");
        assertThat(row.get("conversation_b").get(1).get("content").asText()).isEqualTo("<b>hi</b>");

        List<Battle> a33 = Fixtures.read(file("arena-33k.jsonl"), "arena-33k").battles();
        BattleWriters.write(a33, "arena-33k", f);
        assertThat(Files.readAllLines(f)).containsExactlyElementsOf(Files.readAllLines(file("arena-33k.jsonl")).subList(0, 3).stream()
                .map(l -> {
                    try {
                        return JSON.writeValueAsString(JSON.readTree(l));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList());
    }

    @Test
    void cleanBattleIsAnIndentedArrayThatReadsBackToTheSameBattles(@TempDir Path dir) throws Exception {
        List<Battle> battles = Fixtures.read(file("clean_battle_conv_20230425.json"), "clean-battle").battles();
        Path f = dir.resolve("clean_battle.json");
        BattleWriters.write(battles, "clean-battle", f);
        assertThat(Files.readString(f)).startsWith("[\n  {\n    \"question_id\" : ");
        assertThat(Fixtures.read(f, "clean-battle").battles()).isEqualTo(battles);
    }

    @Test
    void kaggleCsvQuotesFieldsAndCountsBothBadAsTie(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prefs.csv");
        BattleWriters.write(List.of(BATTLE), "kaggle", f);
        String csv = Files.readString(f);
        assertThat(csv).startsWith("id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n");
        List<List<String>> rows = parseCsv(csv);
        List<String> r = rows.get(1);
        assertThat(r).hasSize(9);
        assertThat(JSON.readTree(r.get(3)).get(0).asText()).isEqualTo("Say \"hi\", then a comma,\nplease");
        assertThat(JSON.readTree(r.get(4)).get(0).asText()).isEqualTo("hi, there");
        assertThat(r.subList(6, 9)).containsExactly("0", "0", "1");
        assertThat(r.get(0)).matches("[0-9]+");
    }

    @Test
    void unlabeledBattlesGiveTheUnlabeledKaggleLayoutAndAreLeftOutOfArenaLayouts(@TempDir Path dir) throws Exception {
        Battle unlabeled = BATTLE.withWinner(null);
        Path csv = dir.resolve("pairs.csv");
        BattleWriters.write(List.of(unlabeled), "kaggle", csv);
        assertThat(Files.readAllLines(csv).get(0)).isEqualTo("id,model_a,model_b,prompt,response_a,response_b");
        BattleWriters.Written w = BattleWriters.write(List.of(unlabeled, BATTLE), "arena-33k", dir.resolve("a.jsonl"));
        assertThat(w.rows()).isEqualTo(1);
        assertThat(w.skippedUnlabeled()).isEqualTo(1);
    }

    /** A small independent RFC 4180 parser, so the test does not trust the writer's own quoting. */
    static List<List<String>> parseCsv(String s) {
        List<List<String>> rows = new java.util.ArrayList<>();
        List<String> row = new java.util.ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (c == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new java.util.ArrayList<>();
            } else {
                f.append(c);
            }
        }
        return rows;
    }
}
