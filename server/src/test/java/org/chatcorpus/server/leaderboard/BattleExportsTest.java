package org.chatcorpus.server.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BattleExportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Battle BATTLE = new Battle("q1", "vicuna-13b", "koala-13b", Winner.TIE_BOTHBAD, "arena_user_3",
            List.of(Message.user("Say \"hi\", then a comma,\nplease"), Message.assistant("hi, there")),
            List.of(Message.user("Say \"hi\", then a comma,\nplease"), Message.assistant("<b>hi</b>")),
            1, true, "English", 1700000000.5);

    @Test
    void arenaConversationsLayoutHasTheReleaseColumns(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("arena.jsonl");
        BattleExports.writeArenaConversations(List.of(BATTLE), f);
        JsonNode row = JSON.readTree(Files.readAllLines(f).get(0));
        assertThat(row.fieldNames()).toIterable().containsExactly("question_id", "model_a", "model_b", "winner", "judge",
                "conversation_a", "conversation_b", "turn", "anony", "language", "tstamp", "openai_moderation", "toxic_chat_tag");
        assertThat(row.get("openai_moderation").isNull()).isTrue(); // not tagged yet
        assertThat(row.get("language").asText()).isEqualTo("English");
        assertThat(row.get("winner").asText()).isEqualTo("tie (bothbad)");
        assertThat(row.get("conversation_b").get(1).get("content").asText()).isEqualTo("<b>hi</b>");
        assertThat(row.get("conversation_a").get(0).get("role").asText()).isEqualTo("user");
    }

    @Test
    void taggedBattlesCarryTheirModerationAndToxicChatTag(@TempDir Path dir) throws Exception {
        boolean[] cats = new boolean[org.chatcorpus.core.model.ModerationCategory.all().size()];
        double[] scores = new double[cats.length];
        cats[0] = true;
        scores[0] = 0.75;
        JsonNode toxic = JSON.readTree("{\"roberta-large\": {\"flagged\": false, \"probability\": 0.01}}");
        Battle tagged = BATTLE.withModeration(new org.chatcorpus.core.model.Moderation(cats, scores, true)).withToxicChatTag(toxic);
        Path f = dir.resolve("arena.jsonl");
        BattleExports.writeArenaConversations(List.of(tagged), f);
        JsonNode row = JSON.readTree(Files.readAllLines(f).get(0));
        String first = org.chatcorpus.core.model.ModerationCategory.all().get(0).label();
        assertThat(row.get("openai_moderation").get("flagged").asBoolean()).isTrue();
        assertThat(row.get("openai_moderation").get("categories").get(first).asBoolean()).isTrue();
        assertThat(row.get("openai_moderation").get("category_scores").get(first).asDouble()).isEqualTo(0.75);
        assertThat(row.get("toxic_chat_tag")).isEqualTo(toxic);
    }

    @Test
    void humanPreferenceCsvQuotesFieldsAndCountsBothBadAsTie(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prefs.csv");
        BattleExports.writeHumanPreferenceCsv(List.of(BATTLE), f);
        String csv = Files.readString(f);
        assertThat(csv).startsWith("id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n");
        List<List<String>> rows = parseCsv(csv);
        assertThat(rows).hasSize(2);
        List<String> r = rows.get(1);
        assertThat(r).hasSize(9);
        assertThat(JSON.readTree(r.get(3)).get(0).asText()).isEqualTo("Say \"hi\", then a comma,\nplease");
        assertThat(JSON.readTree(r.get(4)).get(0).asText()).isEqualTo("hi, there");
        assertThat(r.subList(6, 9)).containsExactly("0", "0", "1");
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
