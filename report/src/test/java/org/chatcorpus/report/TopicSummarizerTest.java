package org.chatcorpus.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic summaries from a loopback OpenAI-compatible server; topics.parquet and the embedding cache. */
class TopicSummarizerTest {
    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path tmp;

    private HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String startServer(int status) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            JsonNode req = M.readTree(ex.getRequestBody());
            requests.add(req);
            String content = "\"Topic " + requests.size() + " <b>bold</b>\"\nsecond line ignored";
            byte[] body = M.writeValueAsBytes(M.createObjectNode().set("choices", M.createArrayNode().add(
                    M.createObjectNode().set("message", M.createObjectNode().put("role", "assistant").put("content", content)))));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void summariesComeFromTheServerAndAssignmentsGoToParquet() throws Exception {
        String url = startServer(200);
        Path data = ReportFixtures.release(tmp.resolve("rel"), 1500, 21);
        Path out = tmp.resolve("out");
        ReportFixtures.HashingEmbedder embedder = new ReportFixtures.HashingEmbedder();
        List<String> inputs = List.of(data.toString());
        Report.Outcome o = Report.generate(new DatasetReader(inputs, null), inputs, null, Quarantine.counting(),
                new Report.Options(3, 300, 42, url, "judge-model", "secret"), embedder, out, false);
        assertThat(requests).hasSize(3);
        JsonNode first = requests.get(0);
        assertThat(first.get("model").asText()).isEqualTo("judge-model");
        assertThat(first.get("stream").asBoolean()).isFalse();
        assertThat(first.get("messages").get(0).get("content").asText()).contains("Keywords:")
                .contains(o.topics().topics().get(0).examples().get(0).text().replace('\n', ' ').substring(0, 20));
        JsonNode topics = M.readTree(out.resolve("report.json").toFile()).get("topics");
        assertThat(topics).hasSize(3);
        assertThat(topics.get(0).get("summary").asText()).isEqualTo("Topic 1 <b>bold</b>");
        assertThat(Files.readString(out.resolve("index.html"))).contains("Topic 1 &lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold");
        int sampled = o.topics().prompts().size();
        assertThat(sampled).isEqualTo(300);

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT cluster), min(cluster), max(cluster), "
                        + "count(DISTINCT conversation_id || ':' || message_index), sum(CASE WHEN cluster = 0 THEN 1 ELSE 0 END) FROM '"
                        + out.resolve("topics.parquet") + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(sampled);
            assertThat(rs.getLong(2)).isEqualTo(3);
            assertThat(rs.getInt(3)).isZero();
            assertThat(rs.getInt(4)).isEqualTo(2);
            assertThat(rs.getLong(5)).isEqualTo(sampled);
            assertThat(rs.getLong(6)).isEqualTo(topics.get(0).get("size").asLong());
        }
        // A rerun with another k reuses the cached embeddings; a failing summariser only warns.
        stop();
        String down = startServer(500);
        Report.Outcome again = Report.generate(new DatasetReader(inputs, null), inputs, null, Quarantine.counting(),
                new Report.Options(5, 300, 42, down, "judge-model", null), embedder, out, false);
        assertThat(embedder.calls).isEqualTo(1);
        assertThat(again.topics().cached()).isTrue();
        assertThat(again.topics().topics()).hasSize(5);
        assertThat(again.warnings()).singleElement().asString().contains("HTTP 500");
        assertThat(M.readTree(out.resolve("report.json").toFile()).get("topic_clustering").get("embeddings_cached").asBoolean()).isTrue();
    }

    @Test
    void endpointAndOneLine() {
        assertThat(ClusterSummarizer.endpoint("http://h:1")).isEqualTo("http://h:1/v1/chat/completions");
        assertThat(ClusterSummarizer.endpoint("http://h:1/v1/")).isEqualTo("http://h:1/v1/chat/completions");
        assertThat(ClusterSummarizer.endpoint("http://h:1/v1/chat/completions")).isEqualTo("http://h:1/v1/chat/completions");
        assertThat(ClusterSummarizer.oneLine("\n  'Cooking questions'  \nmore")).isEqualTo("Cooking questions");
        assertThat(StandardCharsets.UTF_8).isNotNull();
    }
}
