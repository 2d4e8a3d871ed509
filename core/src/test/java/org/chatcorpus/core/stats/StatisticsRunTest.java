package org.chatcorpus.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.generate.ReleaseWriter;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.tokenize.TokenCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatisticsRunTest {
    @TempDir
    Path dir;

    /** One token per character plus BOS: easy to count by hand. */
    static final TokenCounter CHARS = new TokenCounter() {
        @Override
        public String name() {
            return "chars+1";
        }

        @Override
        public int count(String text) {
            return text.length() + 1;
        }
    };

    @Test
    void tokenAveragesFollowComputeStatsRules() throws Exception {
        Path release = dir.resolve("r");
        try (ReleaseWriter w = new ReleaseWriter(release, "t", "t", 1 << 20)) {
            w.write(Conversation.of("a", "m1", List.of(Message.user("abc"), Message.assistant("hello"))).withLanguage("English"));
            // an empty response counts 0 tokens; an empty prompt still counts its BOS; a system message is a "response"
            w.write(Conversation.of("b", "m2", List.of(new Message("system", "sys"), Message.user(""), Message.assistant(""))).withLanguage("German"));
        }
        BasicStatistics s = StatisticsRun.compute(new DatasetReader(List.of(release.toString()), null), CHARS, Quarantine.counting(),
                Progress.silent("t"));
        assertThat(s.conversations()).isEqualTo(2);
        assertThat(s.avgPromptTokens()).isEqualTo((4 + 1) / 2.0);
        assertThat(s.avgResponseTokens()).isEqualTo((6 + 4 + 0) / 3.0);
        assertThat(s.avgTurns()).isEqualTo((1 + 1) / 2.0);
        assertThat(s.users()).isNull();
        assertThat(s.tokenizer()).isEqualTo("chars+1");
    }

    @Test
    void usersAreDistinctUserIdsWhenPresent() throws Exception {
        StatsAccumulator a = new StatsAccumulator();
        a.add(Conversation.of("1", "m", List.of()).withCollection("u1", 1.0), null);
        a.add(Conversation.of("2", "m", List.of()).withCollection("u1", 2.0), null);
        a.add(Conversation.of("3", "m", List.of()).withCollection("u2", 3.0), null);
        assertThat(BasicStatistics.of(a, null, 0).users()).isEqualTo(2);
    }

    @Test
    void countsAgreeWithDuckdbOnAGeneratedRelease() throws Exception {
        Path release = dir.resolve("gen");
        SyntheticCorpus corpus = new SyntheticCorpus(7);
        try (ReleaseWriter w = new ReleaseWriter(release, "g", "g", 256 * 1024)) {
            for (int i = 0; i < 5000; i++) {
                w.write(corpus.conversation(i));
            }
        }
        BasicStatistics s = StatisticsRun.compute(new DatasetReader(List.of(release.toString()), null), null, Quarantine.counting(),
                Progress.silent("t"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            String src = "read_parquet('" + release + "/data/*.parquet')";
            ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT model), count(DISTINCT language), avg(turn) FROM " + src);
            rs.next();
            assertThat(s.conversations()).isEqualTo(rs.getLong(1));
            assertThat(s.models()).isEqualTo(rs.getLong(2));
            assertThat(s.languages()).isEqualTo(rs.getLong(3));
            assertThat(s.avgTurns()).isCloseTo(rs.getDouble(4), within(1e-9));
            rs = st.executeQuery("SELECT model, count(*) FROM " + src + " GROUP BY model");
            while (rs.next()) {
                assertThat(s.modelCounts()).containsEntry(rs.getString(1), rs.getLong(2));
            }
        }
        assertThat(s.modelCounts().keySet().iterator().next()).isEqualTo("vicuna-13b");
        assertThat(s.languageCounts().keySet().iterator().next()).isEqualTo("English");
    }

    /** The column-level Parquet path and the row path (JSON lines of the same records) give the same numbers. */
    @Test
    void columnarParquetCountsEqualRowByRowCounts() throws Exception {
        Path release = dir.resolve("both");
        Path jsonl = dir.resolve("same.jsonl");
        SyntheticCorpus corpus = new SyntheticCorpus(11);
        try (ReleaseWriter w = new ReleaseWriter(release, "g", "g", 128 * 1024);
                org.chatcorpus.core.io.JsonlConversationWriter j = org.chatcorpus.core.io.JsonlConversationWriter.create(jsonl, false)) {
            for (int i = 0; i < 3000; i++) {
                Conversation c = corpus.conversation(i).forRelease();
                w.write(c);
                j.write(c);
            }
        }
        assertThat(org.chatcorpus.core.io.parquet.ParquetColumnCounts.supports(
                new DatasetReader(List.of(release.toString()), null).files().get(0))).isTrue();
        BasicStatistics columnar = StatisticsRun.compute(new DatasetReader(List.of(release.toString()), null), null,
                Quarantine.counting(), Progress.silent("t"));
        BasicStatistics rows = StatisticsRun.compute(new DatasetReader(List.of(jsonl.toString()), null), null,
                Quarantine.counting(), Progress.silent("t"));
        assertThat(columnar.conversations()).isEqualTo(3000);
        assertThat(columnar.modelCounts()).isEqualTo(rows.modelCounts());
        assertThat(columnar.languageCounts()).isEqualTo(rows.languageCounts());
        assertThat(columnar.avgTurns()).isEqualTo(rows.avgTurns());
        assertThat(columnar.toJson(new com.fasterxml.jackson.databind.ObjectMapper()))
                .isEqualTo(rows.toJson(new com.fasterxml.jackson.databind.ObjectMapper()));
    }

    @Test
    void generatorIsDeterministicPerSeedAndLmsysShaped() {
        SyntheticCorpus a = new SyntheticCorpus(1);
        SyntheticCorpus b = new SyntheticCorpus(1);
        assertThat(a.conversation(123)).isEqualTo(b.conversation(123));
        assertThat(new SyntheticCorpus(2).conversation(123)).isNotEqualTo(a.conversation(123));
        long flagged = 0;
        double turns = 0;
        for (int i = 0; i < 4000; i++) {
            Conversation c = a.conversation(i);
            assertThat(c.openaiModeration()).hasSize(c.conversation().size());
            assertThat(c.turn()).isEqualTo(c.conversation().size() / 2);
            flagged += c.flagged() ? 1 : 0;
            turns += c.turn();
        }
        assertThat(turns / 4000).isBetween(1.8, 2.2);
        assertThat(flagged).isBetween(120L, 300L);
    }

    @Test
    void jsonHasExactlyTheDocumentedKeys() {
        StatsAccumulator a = new StatsAccumulator();
        a.add(Conversation.of("1", "m", List.of(Message.user("x"))).withLanguage("English"), null);
        var json = BasicStatistics.of(a, null, 3).toJson(new com.fasterxml.jackson.databind.ObjectMapper());
        assertThat(json.fieldNames()).toIterable().containsExactly("conversations", "models", "users", "languages", "avg_turns",
                "avg_prompt_tokens", "avg_response_tokens", "tokenizer", "model_counts", "language_counts", "quarantined");
        assertThat(json.get("users").isNull()).isTrue();
        assertThat(json.get("quarantined").asLong()).isEqualTo(3);
        assertThat(json.get("model_counts")).hasSize(1);
        assertThat(Map.of("m", 1L)).isEqualTo(BasicStatistics.of(a, null, 0).modelCounts());
    }
}
