package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index and JSON API over a generated release: every total is compared with DuckDB counting
 * independently over the same Parquet shards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExploreApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 4000;

    @TempDir
    static Path tmp;
    Path release;
    ExplorerApp app;
    String base;

    @BeforeAll
    void start() throws Exception {
        release = ExploreFixtures.release(tmp.resolve("release"), N, 11);
        ExplorerIndex idx = ExplorerIndex.openOrBuild(List.of(release.toString()), null, tmp.resolve("index"), Progress.silent("t"),
                new PrintStream(new ByteArrayOutputStream()));
        app = ExplorerApp.start(idx, "127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private JsonNode search(String query) throws Exception {
        HttpResponse<String> r = ExploreFixtures.get(base + "/api/search?" + query);
        assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(r.body());
    }

    private long total(String query) throws Exception {
        return search(query).get("total").asLong();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void healthAndIndexSize() throws Exception {
        JsonNode h = JSON.readTree(ExploreFixtures.get(base + "/api/health").body());
        assertThat(h.get("status").asText()).isEqualTo("ok");
        assertThat(h.get("conversations").asLong()).isEqualTo(N);
        assertThat(total("")).isEqualTo(N);
    }

    @Test
    void termPhraseAndBooleanTotalsMatchDuckDb() throws Exception {
        long zebra = ExploreFixtures.duckCount(release, ExploreFixtures.anyMessage("\\bzebrafish\\b", null));
        assertThat(zebra).isGreaterThan(300);
        assertThat(total("q=zebrafish")).isEqualTo(zebra);
        assertThat(total("q=ZEBRAFISH")).isEqualTo(zebra);
        long phrase = ExploreFixtures.duckCount(release, ExploreFixtures.anyMessage("\\bzebrafish\\W+swims\\b", null));
        assertThat(phrase).isLessThan(zebra).isGreaterThan(0);
        assertThat(total("q=" + enc("\"zebrafish swims\""))).isEqualTo(phrase);
        // Phrases with common words are searched through indexed word pairs: still exact.
        for (String[] p : new String[][] {{"the zebrafish swims", "\\bthe\\W+zebrafish\\W+swims\\b"},
                {"about the quokka", "\\babout\\W+the\\W+quokka\\b"}, {"tell me about the", "\\btell\\W+me\\W+about\\W+the\\b"},
                {"is the", "\\bis\\W+the\\b"}, {"the", "\\bthe\\b"}, {"me about", "\\bme\\W+about\\b"}}) {
            long expected = ExploreFixtures.duckCount(release, ExploreFixtures.anyMessage(p[1], null));
            assertThat(expected).as(p[0]).isPositive();
            assertThat(total("q=" + enc("\"" + p[0] + "\""))).as(p[0]).isEqualTo(expected);
        }
        long both = ExploreFixtures.duckCount(release,
                ExploreFixtures.anyMessage("\\bzebrafish\\b", null) + " AND " + ExploreFixtures.anyMessage("\\bquokka\\b", null));
        assertThat(total("q=" + enc("zebrafish AND quokka"))).isEqualTo(both);
        assertThat(total("q=" + enc("zebrafish quokka"))).isEqualTo(both); // default AND
        long either = ExploreFixtures.duckCount(release,
                "(" + ExploreFixtures.anyMessage("\\bzebrafish\\b", null) + " OR " + ExploreFixtures.anyMessage("\\bquokka\\b", null) + ")");
        assertThat(total("q=" + enc("zebrafish OR quokka"))).isEqualTo(either);
        long not = ExploreFixtures.duckCount(release,
                ExploreFixtures.anyMessage("\\bzebrafish\\b", null) + " AND NOT " + ExploreFixtures.anyMessage("\\bquokka\\b", null));
        assertThat(total("q=" + enc("zebrafish NOT quokka"))).isEqualTo(not);
        assertThat(total("q=" + enc("python"))).isEqualTo(ExploreFixtures.duckCount(release, ExploreFixtures.anyMessage("\\bpython\\b", null)));
        assertThat(total("q=nosuchwordanywhere")).isZero();
    }

    @Test
    void filtersMatchDuckDb() throws Exception {
        String zebra = ExploreFixtures.anyMessage("\\bzebrafish\\b", null);
        assertThat(total("model=vicuna-13b")).isEqualTo(ExploreFixtures.duckCount(release, "model = 'vicuna-13b'"));
        assertThat(total("q=zebrafish&model=vicuna-13b")).isEqualTo(ExploreFixtures.duckCount(release, zebra + " AND model = 'vicuna-13b'"));
        assertThat(total("q=zebrafish&language=English"))
                .isEqualTo(ExploreFixtures.duckCount(release, zebra + " AND language = 'English'"));
        String flagged = "len(list_filter(openai_moderation, x -> x.flagged)) > 0";
        long nFlagged = ExploreFixtures.duckCount(release, flagged);
        assertThat(nFlagged).isGreaterThan(50);
        assertThat(total("flagged=true")).isEqualTo(nFlagged);
        assertThat(total("flagged=false")).isEqualTo(N - nFlagged);
        assertThat(total("q=zebrafish&flagged=true")).isEqualTo(ExploreFixtures.duckCount(release, zebra + " AND " + flagged));
        long redacted = ExploreFixtures.duckCount(release, "redacted");
        assertThat(redacted).isGreaterThan(10);
        assertThat(total("redacted=true")).isEqualTo(redacted);
        assertThat(total("redacted=false&q=zebrafish")).isEqualTo(ExploreFixtures.duckCount(release, zebra + " AND NOT redacted"));
        assertThat(total("category=sexual"))
                .isEqualTo(ExploreFixtures.duckCount(release, "len(list_filter(openai_moderation, x -> x.categories.\"sexual\")) > 0"));
        assertThat(total("model=vicuna-13b&model=koala-13b&language=English"))
                .isEqualTo(ExploreFixtures.duckCount(release, "model IN ('vicuna-13b', 'koala-13b') AND language = 'English'"));
        assertThat(total("turns=4-5")).isEqualTo(ExploreFixtures.duckCount(release, "turn BETWEEN 4 AND 5"));
        assertThat(total("turns=11%2B")).isEqualTo(ExploreFixtures.duckCount(release, "turn >= 11"));
    }

    @Test
    void roleRestrictsTheMatchingMessage() throws Exception {
        assertThat(total("q=quokka&role=assistant")).isZero();
        assertThat(total("q=quokka&role=user")).isEqualTo(ExploreFixtures.duckCount(release, ExploreFixtures.anyMessage("\\bquokka\\b", "user")));
        assertThat(total("q=swims&role=assistant"))
                .isEqualTo(ExploreFixtures.duckCount(release, ExploreFixtures.anyMessage("\\bswims\\b", "assistant")));
    }

    @Test
    void hitsHaveTheDocumentedKeysSnippetsAndPaging() throws Exception {
        JsonNode r = search("q=quokka&limit=5");
        assertThat(r.get("hits")).hasSize(5);
        for (JsonNode h : r.get("hits")) {
            assertThat(iterable(h.fieldNames())).containsExactly("conversation_id", "model", "language", "turn", "snippet");
            assertThat(h.get("snippet").asText().toLowerCase()).contains("quokka");
            assertThat(h.get("snippet").asText().length()).isLessThanOrEqualTo(Searcher.SNIPPET_CHARS + 2);
        }
        JsonNode page2 = search("q=quokka&limit=5&offset=5");
        assertThat(page2.get("hits").get(0).get("conversation_id").asText()).isNotEqualTo(r.get("hits").get(0).get("conversation_id").asText());
        assertThat(search("limit=1000").get("hits")).hasSize(SearchRequest.MAX_LIMIT);
        JsonNode byTurns = search("sort=turns&limit=50");
        long prev = Long.MAX_VALUE;
        for (JsonNode h : byTurns.get("hits")) {
            assertThat(h.get("turn").asLong()).isLessThanOrEqualTo(prev);
            prev = h.get("turn").asLong();
        }
        assertThat(ExploreFixtures.get(base + "/api/search?limit=abc").statusCode()).isEqualTo(400);
        assertThat(ExploreFixtures.get(base + "/api/search?flagged=maybe").statusCode()).isEqualTo(400);
        // A malformed query is named, not guessed: 400 with the parser's message (the page searches the words and says so).
        HttpResponse<String> bad = ExploreFixtures.get(base + "/api/search?q=" + enc("\"unbalanced ("));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("cannot parse the query");
    }

    @Test
    void conversationApiReturnsTheReleaseRecord() throws Exception {
        Conversation first = new DatasetReader(List.of(release.toString()), null).readAll(Quarantine.counting()).get(0);
        HttpResponse<String> r = ExploreFixtures.get(base + "/api/conversation/" + first.conversationId());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode rec = JSON.readTree(r.body());
        assertThat(iterable(rec.fieldNames())).containsExactly("conversation_id", "model", "conversation", "turn", "language",
                "openai_moderation", "redacted");
        assertThat(org.chatcorpus.core.io.json.ReleaseRecordJson.parse(rec)).isEqualTo(first);
        assertThat(ExploreFixtures.get(base + "/api/conversation/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> page = ExploreFixtures.get(base + "/c/" + first.conversationId());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(org.chatcorpus.core.web.Html.CONTENT_SECURITY_POLICY);
        assertThat(page.body()).contains("class=\"moderation").contains("harassment");
    }

    @Test
    void exportsTheResultSetAsJsonlAndParquet() throws Exception {
        String q = "q=zebrafish&model=vicuna-13b";
        long n = total(q);
        HttpResponse<String> jsonl = ExploreFixtures.get(base + "/export?format=jsonl&" + q);
        assertThat(jsonl.statusCode()).isEqualTo(200);
        List<String> lines = jsonl.body().lines().toList();
        assertThat(lines).hasSize((int) n);
        for (String line : lines) {
            Conversation c = org.chatcorpus.core.io.json.ReleaseRecordJson.parse(JSON.readTree(line));
            assertThat(c.model()).isEqualTo("vicuna-13b");
        }
        HttpResponse<byte[]> pq = ExploreFixtures.getBytes(base + "/export?format=parquet&" + q);
        assertThat(pq.statusCode()).isEqualTo(200);
        Path file = tmp.resolve("export.parquet");
        Files.write(file, pq.body());
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            var rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE model = 'vicuna-13b') FROM read_parquet('" + file + "')");
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(n);
            assertThat(rs.getLong(2)).isEqualTo(n);
        }
        List<Conversation> back = new DatasetReader(List.of(file.toString()), "parquet").readAll(Quarantine.counting());
        assertThat(back).hasSize((int) n);
        assertThat(ExploreFixtures.get(base + "/export?format=csv").statusCode()).isEqualTo(400);
        // An empty result set is still a valid file: JSONL with no lines, Parquet with the release schema and no rows.
        assertThat(ExploreFixtures.get(base + "/export?format=jsonl&q=nosuchwordanywhere").body()).isEmpty();
        HttpResponse<byte[]> empty = ExploreFixtures.getBytes(base + "/export?format=parquet&q=nosuchwordanywhere");
        assertThat(empty.statusCode()).isEqualTo(200);
        Path emptyFile = tmp.resolve("empty.parquet");
        Files.write(emptyFile, empty.body());
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            var rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + emptyFile + "')");
            rs.next();
            assertThat(rs.getLong(1)).isZero();
            var cols = st.executeQuery("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('" + emptyFile + "'))");
            List<String> names = new java.util.ArrayList<>();
            while (cols.next()) {
                names.add(cols.getString(1));
            }
            assertThat(names).containsExactly("conversation_id", "model", "conversation", "turn", "language", "openai_moderation", "redacted");
        }
    }

    @Test
    void overviewShowsTheBasicStatistics() throws Exception {
        HttpResponse<String> r = ExploreFixtures.get(base + "/overview");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"basic-statistics\"").contains("<td id=\"stat-conversations\">4,000</td>");
        assertThat(app.index().statistics().get("conversations").asLong()).isEqualTo(N);
        assertThat(app.index().statistics().get("model_counts").get("vicuna-13b").asLong())
                .isEqualTo(ExploreFixtures.duckCount(release, "model = 'vicuna-13b'"));
    }

    @Test
    void searchPageShowsFacetCountsThatAddUp() throws Exception {
        Searcher.Result res = app.index().search().search(SearchRequest.parse(Map.of("q", List.of("zebrafish"))), true);
        long sum = res.facets().get("model").values().stream().mapToLong(Long::longValue).sum();
        assertThat(sum).isEqualTo(res.total());
        assertThat(res.facets().get("flagged").getOrDefault("true", 0L))
                .isEqualTo(total("q=zebrafish&flagged=true"));
        assertThat(res.facets().get("language").get("English")).isEqualTo(total("q=zebrafish&language=English"));
        assertThat(res.facets().get("role").get("user")).isEqualTo(total("q=zebrafish&role=user"));
        HttpResponse<String> page = ExploreFixtures.get(base + "/?q=zebrafish");
        assertThat(page.body()).contains("data-total=\"" + res.total() + "\"").contains("<mark>");
        // With a model chosen, the model facet still counts every model (multi-select: another
        // value widens the search), while the other facets count within the chosen model.
        String first = res.facets().get("model").keySet().iterator().next();
        Searcher.Result one = app.index().search().search(SearchRequest.parse(Map.of("q", List.of("zebrafish"), "model", List.of(first))), true);
        assertThat(one.facets().get("model")).isEqualTo(res.facets().get("model"));
        assertThat(one.facets().get("language").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(one.total());
        assertThat(one.total()).isEqualTo(res.facets().get("model").get(first)).isLessThan(res.total());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
