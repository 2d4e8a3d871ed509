package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatcorpus.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.explorer.ExplorerApp;
import org.chatcorpus.explorer.ExplorerIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release curated with a local moderation model says so where people look: the report's Safety
 * section and the explorer name the model and its measured F1 from the provenance curate wrote,
 * never "OpenAI moderation".
 */
class ModerationSourceLabelTest {
    @TempDir
    Path dir;

    @Test
    void reportAndExplorerNameTheLocalModelThatTaggedTheRelease() throws Exception {
        Path labeled = dir.resolve("labeled.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add("{\"prompt\": \"I will kill you and your family, number " + i + "\", \"V\": 1, \"S\": 0}");
            lines.add("{\"prompt\": \"What a lovely garden, tell me about flower " + i + "\", \"V\": 0, \"S\": 0}");
            lines.add("{\"prompt\": \"Recipe " + i + ": how long should I bake bread?\", \"V\": 0, \"S\": 0}");
        }
        Files.write(labeled, lines);
        Path model = dir.resolve("m.model");
        run("train-moderation", labeled.toString(), "--out", model.toString());
        Path raw = dir.resolve("raw.jsonl");
        Files.writeString(raw, "{\"messages\": [{\"role\": \"user\", \"content\": \"I will kill you\"}, {\"role\": \"assistant\", \"content\": \"No.\"}]}\n"
                + "{\"messages\": [{\"role\": \"user\", \"content\": \"Hello, how are you?\"}, {\"role\": \"assistant\", \"content\": \"Fine.\"}]}\n");
        Path cur = dir.resolve("cur");
        run("curate", raw.toString(), "--out", cur.toString(), "--moderation", "local=" + model);
        String prefix = "moderation by local model m.model (flagged F1 ";

        Path rep = dir.resolve("rep");
        run("report", cur.toString(), "--out", rep.toString(), "--tokenizer", "none", "--topics", "0");
        String html = Files.readString(rep.resolve("index.html"));
        assertThat(html).contains("<p id=\"moderation-source\"><b>M" + prefix.substring(1)).contains("trained on labeled.jsonl)</b>");
        assertThat(html.substring(html.indexOf("<section id=\"safety\">"))).doesNotContain("OpenAI moderation");
        JsonNode json = new ObjectMapper().readTree(rep.resolve("report.json").toFile()).get("safety").get("moderation_source");
        assertThat(json.get("label").asText()).startsWith(prefix);

        List<String> inputs = List.of(cur.toString());
        ExplorerIndex idx = ExplorerIndex.openOrBuild(inputs, null, dir.resolve("idx"), Progress.silent("t"), new PrintStream(new ByteArrayOutputStream()));
        try (ExplorerApp app = ExplorerApp.start(idx, "127.0.0.1", 0, ExplorerApp.Options.defaults(),
                ExplorerApp.ReleaseInfo.load(inputs, null, idx, new PrintStream(new ByteArrayOutputStream())))) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/api/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(new ObjectMapper().readTree(health.body()).get("moderation").get("label").asText()).startsWith(prefix)
                    .endsWith("trained on labeled.jsonl)");
        }
    }
}
