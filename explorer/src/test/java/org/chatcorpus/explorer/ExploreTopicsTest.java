package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's topic assignments become the topic filter, with counts, and are part of the index fingerprint. */
class ExploreTopicsTest {
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            "message topic_assignment { required binary conversation_id (STRING); required int32 message_index; required int32 cluster; }");

    @TempDir
    Path tmp;

    @Test
    void topicFilterCountsEqualTheAssignments() throws Exception {
        Path data = ExploreFixtures.release(tmp.resolve("data"), 400, 5);
        List<Conversation> all = new DatasetReader(List.of(data.toString()), null).readAll(Quarantine.counting());
        // Every third conversation gets a topic from its index; some get two (two prompts in two clusters).
        Path topics = tmp.resolve("topics.parquet");
        Map<String, Set<Integer>> expected = new HashMap<>();
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(topics)).withConf(new PlainParquetConfiguration())
                .withType(SCHEMA).build()) {
            SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
            for (int i = 0; i < all.size(); i += 3) {
                String id = all.get(i).conversationId();
                w.write(groups.newGroup().append("conversation_id", id).append("message_index", 0).append("cluster", i % 4));
                expected.computeIfAbsent(id, k -> new HashSet<>()).add(i % 4);
                if (i % 9 == 0) {
                    w.write(groups.newGroup().append("conversation_id", id).append("message_index", 2).append("cluster", 7));
                    expected.get(id).add(7);
                }
            }
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (ExplorerIndex idx = ExplorerIndex.openOrBuild(List.of(data.toString()), null, topics, tmp.resolve("index"), Progress.silent("t"),
                new PrintStream(log, true))) {
            for (int topic : List.of(0, 1, 2, 3, 7)) {
                long want = expected.values().stream().filter(s -> s.contains(topic)).count();
                SearchRequest r = SearchRequest.parse(Map.of("topic", List.of(Integer.toString(topic))));
                assertThat(idx.search().count(r)).as("topic %d", topic).isEqualTo(want);
            }
            Searcher.Result everything = idx.search().search(SearchRequest.all(), true);
            Map<String, Long> facet = everything.facets().get("topic");
            assertThat(facet.get("7")).isEqualTo(expected.values().stream().filter(s -> s.contains(7)).count());
            assertThat(facet.keySet()).containsExactlyInAnyOrder("0", "1", "2", "3", "7");
        }
        // The fingerprint covers the topics file: another file means a rebuild.
        assertThat(Files.readString(tmp.resolve("index").resolve(ExplorerIndex.FINGERPRINT_FILE))).contains("topics.parquet");
        try (ExplorerIndex again = ExplorerIndex.openOrBuild(List.of(data.toString()), null, null, tmp.resolve("index"), Progress.silent("t"),
                new PrintStream(log, true))) {
            assertThat(again.reused()).isFalse();
            assertThat(again.search().search(SearchRequest.all(), true).facets().get("topic")).isEmpty();
        }
    }

    @Test
    void aFileThatIsNotTopicAssignmentsIsAClearError() throws IOException {
        Path data = ExploreFixtures.release(tmp.resolve("d2"), 10, 1);
        Path bogus = Files.writeString(tmp.resolve("topics.parquet"), "not parquet");
        assertThatThrownBy(() -> ExplorerIndex.openOrBuild(List.of(data.toString()), null, bogus, tmp.resolve("i2"), Progress.silent("t"),
                new PrintStream(new ByteArrayOutputStream(), true))).hasMessageContaining("topics.parquet");
        assertThatThrownBy(() -> ExplorerIndex.openOrBuild(List.of(data.toString()), null, tmp.resolve("missing.parquet"), tmp.resolve("i3"),
                Progress.silent("t"), new PrintStream(new ByteArrayOutputStream(), true))).hasMessageContaining("not found");
    }

    static List<String> ids(List<Conversation> cs) {
        List<String> out = new ArrayList<>();
        cs.forEach(c -> out.add(c.conversationId()));
        return out;
    }
}
