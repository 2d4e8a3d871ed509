package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explorer says who tagged the moderation it shows: a local model named with its F1, or OpenAI. */
class ExploreModerationSourceTest {
    private static final String LOCAL = "local model mod.model sha256=99aa: n-gram model (hashed word 1-2-grams + logistic regression) "
            + "trained on openai-moderation-dev.jsonl.gz; flagged F1 0.871 (held-out 400 texts)";

    @TempDir
    Path tmp;

    private JsonNode health(ExplorerApp app) throws Exception {
        return new ObjectMapper().readTree(ExploreFixtures.get("http://127.0.0.1:" + app.port() + "/api/health").body());
    }

    @Test
    void aReleaseTaggedByALocalModelIsLabelledOnTheConversationPageAndInTheApi() throws Exception {
        Path release = ExploreFixtures.release(tmp.resolve("release"), 60, 3);
        // As curate's moderation stage records a local model (provenance.json, tools.moderation).
        Files.writeString(release.resolve("provenance.json"), "{\"tool\": \"chatcorpus\", \"tools\": {\"moderation\": \"" + LOCAL + "\"}}");
        List<String> inputs = List.of(release.toString());
        ExplorerIndex idx = ExplorerIndex.openOrBuild(inputs, null, tmp.resolve("index"), Progress.silent("t"), SimilarFixture.quiet());
        String label = "moderation by local model mod.model (flagged F1 0.871, held-out 400 texts, trained on openai-moderation-dev.jsonl.gz)";
        try (ExplorerApp app = ExplorerApp.start(idx, "127.0.0.1", 0, ExplorerApp.Options.defaults(),
                ExplorerApp.ReleaseInfo.load(inputs, null, idx, SimilarFixture.quiet()))) {
            JsonNode h = health(app);
            assertThat(h.get("moderation").get("label").asText()).isEqualTo(label);
            assertThat(h.get("moderation").get("local_model").asBoolean()).isTrue();
            assertThat(h.get("moderation").get("detail").asText()).isEqualTo(LOCAL);
            String id = idx.search().search(SearchRequest.parse(java.util.Map.of("flagged", List.of("true"))), false).hits().get(0).conversationId();
            String page = ExploreFixtures.get("http://127.0.0.1:" + app.port() + "/c/" + ExplorerPages.pathSegment(id)).body();
            assertThat(page).contains("<td id=\"moderation-source\" title=\"" + org.chatcorpus.core.web.Html.escape(LOCAL) + "\">" + label + "</td>");
            // Beside every message's flagged categories and scores.
            assertThat(page.split("class=\"mod-source\">— " + java.util.regex.Pattern.quote(label), -1).length - 1)
                    .isEqualTo(page.split("class=\"msg ", -1).length - 1);
            assertThat(page).doesNotContain("OpenAI moderation");
        }
    }

    @Test
    void tagsThatCameWithTheReleaseAreOpenAiModeration() throws Exception {
        Path release = ExploreFixtures.release(tmp.resolve("release"), 30, 3);
        List<String> inputs = List.of(release.toString());
        ExplorerIndex idx = ExplorerIndex.openOrBuild(inputs, null, tmp.resolve("index"), Progress.silent("t"), SimilarFixture.quiet());
        try (ExplorerApp app = ExplorerApp.start(idx, "127.0.0.1", 0, ExplorerApp.Options.defaults(),
                ExplorerApp.ReleaseInfo.load(inputs, null, idx, SimilarFixture.quiet()))) {
            assertThat(health(app).get("moderation").get("label").asText()).isEqualTo("OpenAI moderation");
            String id = idx.search().search(SearchRequest.all(), false).hits().get(0).conversationId();
            assertThat(ExploreFixtures.get("http://127.0.0.1:" + app.port() + "/c/" + ExplorerPages.pathSegment(id)).body())
                    .contains(">OpenAI moderation</td>").doesNotContain("local model");
        }
    }
}
