package org.chatcorpus.core.io.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetShardsTest {
    @TempDir
    Path dir;

    static Moderation flaggedFor(ModerationCategory c, double score) {
        boolean[] cats = new boolean[ModerationCategory.COUNT];
        double[] scores = new double[ModerationCategory.COUNT];
        cats[c.ordinal()] = true;
        scores[c.ordinal()] = score;
        scores[ModerationCategory.HATE.ordinal()] += 0.0125;
        return new Moderation(cats, scores, true);
    }

    static List<Conversation> samples() {
        List<Conversation> out = new ArrayList<>();
        out.add(new Conversation("c1", "vicuna-13b",
                List.of(Message.user("Hello NAME_1 👋 ¿qué tal? 你好"), Message.assistant("<script>alert('x')</script>")),
                1, "English", List.of(Moderation.clean(), flaggedFor(ModerationCategory.SELF_HARM_INTENT, 0.91)), true, null, null));
        out.add(new Conversation("c2", "koala-13b", List.of(Message.user(""), Message.assistant("")), 1, "unknown",
                List.of(), false, null, null));
        out.add(new Conversation("c3", "gpt-4", List.of(Message.user("x".repeat(10 * 1024 * 1024)), Message.assistant("ok"),
                Message.user("and?")), 1, "Portuguese", List.of(), false, null, null));
        return out;
    }

    private ParquetShardWriter.Summary write(List<Conversation> cs, long shardBytes) throws Exception {
        ParquetShardWriter w = new ParquetShardWriter(dir, shardBytes, false);
        for (Conversation c : cs) {
            w.write(c);
        }
        w.close();
        return w.summary();
    }

    private static List<Conversation> read(Path file, CountingQuarantine q) throws Exception {
        List<Conversation> out = new ArrayList<>();
        new ParquetConversationReader().read(file, out::add, q);
        return out;
    }

    @Test
    void roundTripKeepsEveryFieldIncludingHugeEmptyAndHostileText() throws Exception {
        ParquetShardWriter.Summary s = write(samples(), ParquetShardWriter.DEFAULT_SHARD_BYTES);
        assertThat(s.shards()).extracting(p -> p.getFileName().toString()).containsExactly("train-00000-of-00001.parquet");
        CountingQuarantine q = Quarantine.counting();
        assertThat(read(s.shards().get(0), q)).isEqualTo(samples());
        assertThat(q.count()).isZero();
    }

    @Test
    void releaseShardsDropCollectionSideFields() throws Exception {
        Conversation withUser = samples().get(0).withCollection("u1", 1.5e9);
        ParquetShardWriter.Summary s = write(List.of(withUser), ParquetShardWriter.DEFAULT_SHARD_BYTES);
        Conversation back = read(s.shards().get(0), Quarantine.counting()).get(0);
        assertThat(back.userId()).isNull();
        assertThat(back.tstamp()).isNull();
    }

    @Test
    void duckdbReadsOurShardsWithTheExactLmsysTypes() throws Exception {
        ParquetShardWriter.Summary s = write(samples(), ParquetShardWriter.DEFAULT_SHARD_BYTES);
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + dir + "/data/train-*.parquet')")) {
            while (rs.next()) {
                types.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        }
        StringBuilder cats = new StringBuilder();
        StringBuilder scores = new StringBuilder();
        for (ModerationCategory m : ModerationCategory.all()) {
            // DuckDB quotes a field name only when it is not a plain identifier.
            String name = m.label().matches("[a-z]+") ? m.label() : '"' + m.label() + '"';
            cats.append(cats.length() == 0 ? "" : ", ").append(name).append(" BOOLEAN");
            scores.append(scores.length() == 0 ? "" : ", ").append(name).append(" DOUBLE");
        }
        assertThat(types).containsExactly(
                Map.entry("conversation_id", "VARCHAR"),
                Map.entry("model", "VARCHAR"),
                Map.entry("conversation", "STRUCT(\"content\" VARCHAR, \"role\" VARCHAR)[]"),
                Map.entry("turn", "BIGINT"),
                Map.entry("language", "VARCHAR"),
                Map.entry("openai_moderation", "STRUCT(categories STRUCT(" + cats + "), category_scores STRUCT(" + scores
                        + "), flagged BOOLEAN)[]"),
                Map.entry("redacted", "BOOLEAN"));
    }

    @Test
    void duckdbSeesTheSameValues() throws Exception {
        write(samples(), ParquetShardWriter.DEFAULT_SHARD_BYTES);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT conversation_id, conversation[1].content, len(conversation), "
                     + "openai_moderation[2].categories.\"self-harm/intent\", openai_moderation[2].category_scores.\"self-harm/intent\", "
                     + "redacted, turn FROM read_parquet('" + dir + "/data/*.parquet') ORDER BY conversation_id")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("c1");
            assertThat(rs.getString(2)).isEqualTo("Hello NAME_1 👋 ¿qué tal? 你好");
            assertThat(rs.getInt(3)).isEqualTo(2);
            assertThat(rs.getBoolean(4)).isTrue();
            assertThat(rs.getDouble(5)).isEqualTo(0.91);
            assertThat(rs.getBoolean(6)).isTrue();
            rs.next();
            rs.next();
            assertThat(rs.getInt(3)).isEqualTo(3);
            assertThat(rs.getLong(7)).isEqualTo(1);
        }
    }

    @Test
    void weReadAFileDuckdbWrote() throws Exception {
        write(samples(), ParquetShardWriter.DEFAULT_SHARD_BYTES);
        Path duck = dir.resolve("duck.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM read_parquet('" + dir + "/data/*.parquet') ORDER BY conversation_id) TO '" + duck + "' (FORMAT PARQUET)");
        }
        assertThat(read(duck, Quarantine.counting())).isEqualTo(samples());
    }

    @Test
    void missingOptionalColumnsTakeDefaultsAndExtraColumnsAreIgnored() throws Exception {
        Path f = dir.resolve("minimal.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 'm1' AS conversation_id, 'llama-13b' AS model, "
                    + "[{'content': 'hi', 'role': 'user'}, {'content': 'hello', 'role': 'assistant'}] AS conversation, "
                    + "42 AS extra_column, 'u9' AS user_id) TO '" + f + "' (FORMAT PARQUET)");
        }
        Conversation c = read(f, Quarantine.counting()).get(0);
        assertThat(c).isEqualTo(new Conversation("m1", "llama-13b", List.of(Message.user("hi"), Message.assistant("hello")),
                1, "", List.of(), false, "u9", null));
    }

    @Test
    void rowsWithNullsOrWrongTypesAreQuarantinedByRowAndFieldWithoutLosingTheOthers() throws Exception {
        Path f = dir.resolve("bad.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM (VALUES "
                    + "('ok1', 'm', [{'content': 'a', 'role': 'user'}]), "
                    + "(NULL, 'm', [{'content': 'b', 'role': 'user'}]), "
                    + "('bad2', 'm', [{'content': NULL, 'role': 'user'}]), "
                    + "('ok2', 'm', [{'content': 'c', 'role': 'user'}])) t(conversation_id, model, conversation)) TO '" + f + "' (FORMAT PARQUET)");
        }
        CountingQuarantine q = Quarantine.counting();
        assertThat(read(f, q)).extracting(Conversation::conversationId).containsExactly("ok1", "ok2");
        assertThat(q.records()).extracting(r -> r.location() + ": " + r.reason()).containsExactly(
                "row 2 of row group 0: field `conversation_id` is null", "row 3 of row group 0: field `conversation[0].content` is null");
    }

    @Test
    void aColumnOfTheWrongTypeIsNamed() throws Exception {
        Path f = dir.resolve("wrongtype.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 'w1' AS conversation_id, 'm' AS model, [{'content': 'a', 'role': 'user'}] AS conversation, "
                    + "'two' AS turn) TO '" + f + "' (FORMAT PARQUET)");
        }
        CountingQuarantine q = Quarantine.counting();
        assertThat(read(f, q)).isEmpty();
        assertThat(q.records().get(0).reason()).isEqualTo("field `turn` is binary, expected int64");
    }

    @Test
    void aTruncatedFileIsQuarantinedNotFatal() throws Exception {
        ParquetShardWriter.Summary s = write(samples(), ParquetShardWriter.DEFAULT_SHARD_BYTES);
        byte[] all = Files.readAllBytes(s.shards().get(0));
        Path cut = dir.resolve("cut.parquet");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        CountingQuarantine q = Quarantine.counting();
        assertThat(read(cut, q)).isEmpty();
        assertThat(q.records().get(0).reason()).contains("not a complete Parquet file");
    }

    @Test
    void smallShardBoundSplitsIntoNamedShardsAndLeavesNoTemporaryFiles() throws Exception {
        List<Conversation> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add(Conversation.of("id" + i, "m" + (i % 7), List.of(Message.user("prompt " + i + " " + "lorem ipsum ".repeat(i % 50)),
                    Message.assistant("answer " + i))));
        }
        ParquetShardWriter.Summary s = write(many, 64 * 1024);
        assertThat(s.shards().size()).isGreaterThan(1);
        int n = s.shards().size();
        try (Stream<Path> files = Files.list(dir.resolve("data"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .allMatch(name -> name.matches("train-\\d{5}-of-" + String.format("%05d", n) + "\\.parquet"));
        }
        List<Conversation> back = new ArrayList<>();
        for (Path p : s.shards()) {
            new ParquetConversationReader().read(p, back::add, Quarantine.counting());
        }
        assertThat(back).isEqualTo(many);
        assertThat(s.numExamples()).isEqualTo(3000);
    }

    @Test
    void projectedReadReturnsOnlyTheAskedColumns() throws Exception {
        ParquetShardWriter.Summary s = write(samples(), ParquetShardWriter.DEFAULT_SHARD_BYTES);
        List<Conversation> out = new ArrayList<>();
        ParquetConversationReader.projected(Set.of("model", "language", "turn")).read(s.shards().get(0), out::add, Quarantine.counting());
        assertThat(out).extracting(Conversation::model).containsExactly("vicuna-13b", "koala-13b", "gpt-4");
        assertThat(out).extracting(Conversation::language).containsExactly("English", "unknown", "Portuguese");
        assertThat(out).allMatch(c -> c.conversation().isEmpty());
    }

    @Test
    void datasetCardHasHuggingFaceFrontMatter() throws Exception {
        ParquetShardWriter.Summary s = write(samples(), ParquetShardWriter.DEFAULT_SHARD_BYTES);
        DatasetCard.write(dir, "Test release", "Three conversations.", s, "| # Conversations | 3 |");
        String card = Files.readString(dir.resolve("README.md"));
        String yaml = card.substring(4, card.indexOf("\n---\n", 4));
        JsonNode meta = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        assertThat(meta.at("/dataset_info/splits/0/num_examples").asLong()).isEqualTo(3);
        assertThat(meta.at("/dataset_info/features/2/list/0/name").asText()).isEqualTo("content");
        assertThat(meta.at("/dataset_info/features/5/list/0/struct/6/name").asText()).isEqualTo("self-harm/intent");
        assertThat(meta.at("/configs/0/data_files/0/path").asText()).isEqualTo("data/train-*");
        assertThat(meta.at("/dataset_info/download_size").asLong()).isEqualTo(Files.size(s.shards().get(0)));
        assertThat(card).contains("## Basic Statistics").contains("| # Conversations | 3 |");
    }
}
