package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.io.ConversationVectors;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /api/similar/{id} from a real report's embeddings of the served release: the nearest
 * conversations by cosine similarity (checked against a float computation here), 404 for an unknown
 * id, 409 with what to run when there are no embeddings or they belong to another release.
 */
class ExploreSimilarTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static SimilarFixture fx;
    static ExplorerApp app;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        fx = new SimilarFixture(tmp, 300, 31);
        app = fx.start();
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void theNearestConversationsAreTheOnesWithTheHighestCosine() throws Exception {
        List<String> embedded = new ArrayList<>(fx.floatVectors.keySet());
        assertThat(embedded).hasSizeGreaterThan(50);
        for (String id : List.of(embedded.get(0), embedded.get(embedded.size() / 2), embedded.get(embedded.size() - 1))) {
            HttpResponse<String> r = ExploreFixtures.get(base + "/api/similar/" + ExplorerPages.pathSegment(id) + "?k=7");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.get("id").asText()).isEqualTo(id);
            assertThat(body.get("embedded").asBoolean()).isTrue();
            JsonNode similar = body.get("similar");
            assertThat(similar).hasSize(7);
            // The first is the conversation with the highest float cosine (int8 rounding may swap near-ties, never more).
            String first = similar.get(0).get("id").asText();
            assertThat(fx.cosine(id, first)).as("nearest of %s", id).isCloseTo(fx.bestCosine(id), offset(0.02));
            double previous = 2;
            for (JsonNode s : similar) {
                String other = s.get("id").asText();
                assertThat(other).isNotEqualTo(id);
                assertThat(fx.floatVectors).containsKey(other);
                double sim = s.get("similarity").asDouble();
                assertThat(sim).isCloseTo(fx.cosine(id, other), offset(0.02)).isLessThanOrEqualTo(previous);
                previous = sim;
                assertThat(s.get("title").asText()).isEqualTo(Searcher.title(fx.conversations.get(other)));
            }
        }
        // The default k is 10.
        assertThat(json(ExploreFixtures.get(base + "/api/similar/" + ExplorerPages.pathSegment(embedded.get(3)))).get("similar")).hasSize(10);
    }

    @Test
    void anUnknownIdIs404AndABadKIs400() throws Exception {
        HttpResponse<String> r = ExploreFixtures.get(base + "/api/similar/no-such-conversation");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).contains("no conversation").contains("no-such-conversation");
        String id = fx.floatVectors.firstKey();
        for (String k : List.of("0", "101", "ten")) {
            HttpResponse<String> bad = ExploreFixtures.get(base + "/api/similar/" + id + "?k=" + k);
            assertThat(bad.statusCode()).as("k=%s", k).isEqualTo(400);
            assertThat(json(bad).get("error").asText()).contains("k must be");
        }
    }

    @Test
    void aConversationOutsideTheReportsSampleHasAnEmptyListSayingWhy() throws Exception {
        String outside = fx.conversations.keySet().stream().filter(id -> !fx.floatVectors.containsKey(id)).sorted().findFirst().orElseThrow();
        HttpResponse<String> r = ExploreFixtures.get(base + "/api/similar/" + ExplorerPages.pathSegment(outside));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("embedded").asBoolean()).isFalse();
        assertThat(body.get("similar")).isEmpty();
        assertThat(body.get("note").asText()).contains("topic sample");
    }

    @Test
    void withoutEmbeddingsTheAnswerIs409SayingWhatToRun() throws Exception {
        ExplorerIndex again = fx.reopen();
        try (ExplorerApp bare = ExplorerApp.start(again, "127.0.0.1", 0, ExplorerApp.Options.defaults(),
                ExplorerApp.ReleaseInfo.load(List.of(fx.release.toString()), null, again, SimilarFixture.quiet()))) {
            String b = "http://127.0.0.1:" + bare.port();
            HttpResponse<String> r = ExploreFixtures.get(b + "/api/similar/" + fx.floatVectors.firstKey());
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(json(r).get("error").asText()).contains("chatcorpus report RELEASE --out REPORT_DIR --topics")
                    .contains("--topics REPORT_DIR/topics.parquet");
            // An unknown id is still a 404, and health says similar conversations are off and why.
            assertThat(ExploreFixtures.get(b + "/api/similar/nope").statusCode()).isEqualTo(404);
            JsonNode health = json(ExploreFixtures.get(b + "/api/health"));
            assertThat(health.get("similar").get("available").asBoolean()).isFalse();
            assertThat(health.get("similar").get("reason").asText()).contains("chatcorpus report");
            // The conversation page has no similar section then.
            assertThat(ExploreFixtures.get(b + "/c/" + fx.floatVectors.firstKey()).body()).doesNotContain("id=\"similar\"");
        }
        // A report folder from before similar conversations (topics.parquet without vectors) says so too.
        Path old = tmp.resolve("old-report");
        Files.createDirectories(old);
        Files.copy(fx.topics(), old.resolve("topics.parquet"));
        ExplorerApp.ReleaseInfo info = ExplorerApp.ReleaseInfo.load(List.of(fx.release.toString()), old.resolve("topics.parquet"), fx.index,
                SimilarFixture.quiet());
        assertThat(info.similar().available()).isFalse();
        assertThat(info.similar().reason()).contains(ConversationVectors.FILE_NAME).contains("chatcorpus report");
    }

    @Test
    void vectorsOfAnotherReleaseAreRefused() throws Exception {
        // The same report's vectors beside an index of a different release (one conversation fewer).
        Path other = ExploreFixtures.release(tmp.resolve("other"), 299, 31);
        try (ExplorerIndex otherIndex = ExplorerIndex.openOrBuild(List.of(other.toString()), null, fx.topics(), tmp.resolve("other-index"),
                Progress.silent("t"), SimilarFixture.quiet());
             ExplorerApp stale = ExplorerApp.start(otherIndex, "127.0.0.1", 0, ExplorerApp.Options.defaults(),
                     ExplorerApp.ReleaseInfo.load(List.of(other.toString()), fx.topics(), otherIndex, SimilarFixture.quiet()))) {
            HttpResponse<String> r = ExploreFixtures.get("http://127.0.0.1:" + stale.port() + "/api/similar/" + fx.floatVectors.firstKey());
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(json(r).get("error").asText()).contains("another release").contains("300 conversations").contains("299 conversations");
        }
    }
}
