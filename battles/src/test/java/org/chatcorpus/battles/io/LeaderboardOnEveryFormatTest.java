package org.chatcorpus.battles.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.battles.rating.BattleSelection;
import org.chatcorpus.battles.rating.Leaderboard;
import org.chatcorpus.battles.rating.LeaderboardHtml;
import org.chatcorpus.core.io.Quarantine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seeded battles written in every layout give the same leaderboard: online Elo, the
 * Bradley-Terry fit and its bootstrap intervals, to the last bit.
 */
class LeaderboardOnEveryFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20240501L;

    @Test
    void ratingsAreEqualFromEveryFormat(@TempDir Path dir) throws Exception {
        List<Battle> battles = seeded(600, SEED);
        Leaderboard expected = Leaderboard.compute(battles, true, 30, 7);

        Path kaggle = dir.resolve("train.csv");
        BattleWriters.write(battles, "kaggle", kaggle);
        Path arena = dir.resolve("arena-33k.jsonl");
        BattleWriters.write(battles, "arena-33k", arena);
        Path clean = dir.resolve("clean_battle.json");
        BattleWriters.write(battles, "clean-battle", clean);
        Path parquet = dir.resolve("arena-33k.parquet");
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_json_auto('" + arena + "')) TO '" + parquet + "' (FORMAT PARQUET)");
        }
        Path later = dir.resolve("arena-100k.jsonl");
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(arena)) {
            ObjectNode o = (ObjectNode) JSON.readTree(l);
            o.set("judge_hash", o.remove("judge"));
            o.put("is_code", false);
            lines.add(JSON.writeValueAsString(o));
        }
        Files.write(later, lines);
        Path logs = dir.resolve("2024-05-01-conv.json");
        Files.write(logs, fastChatVotes(battles));

        Map<Path, String> formats = Map.of(kaggle, "kaggle", arena, "arena-33k", clean, "clean-battle", parquet, "arena-33k",
                later, "arena-100k", logs, "fastchat-log");
        for (Map.Entry<Path, String> f : formats.entrySet()) {
            var q = Quarantine.counting();
            BattleReaders.Loaded loaded = BattleReaders.read(List.of(f.getKey().toString()), null, 0, q);
            assertThat(loaded.perFormat()).as(f.getValue()).containsOnlyKeys(f.getValue());
            assertThat(q.count()).as(f.getValue()).isZero();
            Leaderboard lb = Leaderboard.compute(loaded.battles(), true, 30, 7);
            assertThat(lb.battles()).as(f.getValue()).isEqualTo(600);
            assertThat(lb.elo()).as(f.getValue()).isEqualTo(expected.elo());
            assertThat(lb.bt()).as(f.getValue()).isEqualTo(expected.bt());
            assertThat(lb.rank()).as(f.getValue()).isEqualTo(expected.rank());
        }
    }

    @Test
    void selectionAnchorRankAndHtmlFollowEloAnalysis(@TempDir Path dir) throws Exception {
        List<Battle> battles = new ArrayList<>(seeded(800, SEED + 1));
        battles.add(new Battle("n", "named-a", "named-b", Winner.MODEL_A, "", List.of(), List.of(), 1, false, "English", 5, Map.of()));
        battles.add(new Battle("u", "vicuna-13b", "koala-13b", null, "", List.of(), List.of(), 1, true, "English", 6, Map.of()));
        for (int i = 0; i < 3; i++) {
            battles.add(new Battle("r" + i, "rare-model", "vicuna-13b", Winner.MODEL_B, "", List.of(), List.of(), 1, true, "English", 7 + i, Map.of()));
        }
        var options = new Leaderboard.Options(new BattleSelection(true, true, "English", 10), 40, 3, "koala-13b", 1000);
        Leaderboard lb = Leaderboard.compute(battles, options);
        long ties = battles.stream().filter(b -> b.winner() != null && b.winner().isTie() && b.anony() && b.language().equals("English")).count();
        assertThat(lb.selection().ties()).isEqualTo(ties);
        assertThat(lb.selection().named()).isEqualTo(1);
        assertThat(lb.selection().unlabeled()).isEqualTo(1);
        assertThat(lb.selection().otherLanguage()).isPositive();
        assertThat(lb.selection().fewBattles()).isEqualTo(3);
        assertThat(lb.bt()).doesNotContainKey("rare-model").doesNotContainKey("named-a");
        assertThat(lb.bt().get("koala-13b").rating()).isEqualTo(1000.0);
        // rank = 1 + models whose lower bound is above this model's upper bound
        for (String m : lb.bt().keySet()) {
            long above = lb.bt().entrySet().stream().filter(e -> !e.getKey().equals(m) && e.getValue().lower() > lb.bt().get(m).upper()).count();
            assertThat(lb.rank().get(m)).isEqualTo(1 + (int) above);
        }
        assertThat(lb.rank().get(lb.bt().keySet().iterator().next())).isEqualTo(1);
        var json = lb.toJson(JSON);
        assertThat(json.fieldNames()).toIterable().containsExactly("battles", "elo", "bt", "votes"); // keys only added, never renamed
        assertThat(json.get("bt").get("koala-13b").fieldNames()).toIterable().containsExactly("rating", "lower", "upper", "rank", "num_battles");

        LeaderboardHtml.write(lb, dir);
        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).contains("<table id=\"leaderboard\">").contains("<svg").doesNotContain("<script");
        assertThat(dir.resolve("figures")).isDirectoryContaining("glob:**win_fraction_heatmap.svg")
                .isDirectoryContaining("glob:**battle_count_heatmap.svg").isDirectoryContaining("glob:**bootstrap_elo_rating.svg")
                .isDirectoryContaining("glob:**average_win_rate_bar.svg");
        // each figure is well-formed XML
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        for (String f : List.of("win_fraction_heatmap", "battle_count_heatmap", "bootstrap_elo_rating", "average_win_rate_bar")) {
            factory.newDocumentBuilder().parse(dir.resolve("figures").resolve(f + ".svg").toFile());
        }
    }

    @Test
    void winFractionsCountWinsAsAAndAsBOverBattlesWithoutTies() {
        List<Battle> battles = List.of(Battle.of("x", "y", Winner.MODEL_A), Battle.of("y", "x", Winner.MODEL_A),
                Battle.of("y", "x", Winner.MODEL_B), Battle.of("x", "y", Winner.TIE), Battle.of("x", "z", Winner.MODEL_B));
        var t = org.chatcorpus.battles.rating.PairwiseTables.of(battles, List.of("x", "y", "z"));
        assertThat(t.winFraction()[0][1]).isEqualTo(2.0 / 3);
        assertThat(t.winFraction()[1][0]).isEqualTo(1.0 / 3);
        assertThat(t.count()[0][1]).isEqualTo(3);
        assertThat(t.winFraction()[0][2]).isEqualTo(0.0);
        assertThat(t.winFraction()[1][2]).isNaN();
        assertThat(t.averageWinRate()[0]).isEqualTo((2.0 / 3 + 0.0) / 2);
    }

    /** Battles with a seeded Bradley-Terry vote process, increasing times, both kinds of tie. */
    static List<Battle> seeded(int n, long seed) {
        String[] models = {"vicuna-13b", "koala-13b", "alpaca-13b", "chatglm-6b", "llama-13b", "dolly-v2-12b"};
        double[] truth = {1150, 1080, 1010, 990, 930, 870};
        String[] languages = {"English", "English", "English", "German"};
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Battle> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int a = rnd.nextInt(models.length);
            int b = rnd.nextInt(models.length - 1);
            if (b >= a) {
                b++;
            }
            double pa = 1 / (1 + Math.pow(10, (truth[b] - truth[a]) / 400));
            double u = rnd.nextDouble();
            Winner w = u < 0.1 ? Winner.TIE : u < 0.2 ? Winner.TIE_BOTHBAD : rnd.nextDouble() < pa ? Winner.MODEL_A : Winner.MODEL_B;
            String prompt = "Question " + i + ": tell me about topic " + (i % 37) + ", with \"quotes\", commas, and\nnew lines";
            out.add(new Battle(Integer.toString(1000 + i), models[a], models[b], w, "arena_user_" + (i % 40),
                    List.of(BattleMessage.user(prompt), BattleMessage.assistant("Answer from side a to " + i)),
                    List.of(BattleMessage.user(prompt), BattleMessage.assistant("Answer from side b to " + i)),
                    1, true, languages[i % languages.length], 1682000000 + 17.25 * i, Map.of()));
        }
        return out;
    }

    /** The battles as FastChat vote events (anonymous: public names hidden, real names in the states). */
    static List<String> fastChatVotes(List<Battle> battles) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Battle b : battles) {
            ObjectNode row = JSON.createObjectNode();
            row.put("tstamp", b.tstamp());
            row.put("type", switch (b.winner()) {
                case MODEL_A -> "leftvote";
                case MODEL_B -> "rightvote";
                case TIE -> "tievote";
                case TIE_BOTHBAD -> "bothbad_vote";
            });
            row.putArray("models").add("").add("");
            var states = row.putArray("states");
            for (int side = 0; side < 2; side++) {
                var s = states.addObject();
                s.put("conv_id", b.questionId() + side);
                s.put("offset", 0);
                s.put("model_name", side == 0 ? b.modelA() : b.modelB());
                var msgs = s.putArray("messages");
                for (BattleMessage m : side == 0 ? b.conversationA() : b.conversationB()) {
                    msgs.addArray().add(m.isUser() ? "USER" : "ASSISTANT").add(m.content());
                }
            }
            row.put("ip", "10.0.0." + (b.judge().hashCode() & 7));
            lines.add(JSON.writeValueAsString(row));
        }
        return lines;
    }
}
