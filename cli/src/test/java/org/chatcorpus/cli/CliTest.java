package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatcorpus.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The verbs run in-process on real files; their outputs and exit codes are the contract. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void trainNamesWritesTheSameModelFromTheSameSeedAndCurateCanUseIt() throws Exception {
        Path a = dir.resolve("a.model");
        Path b = dir.resolve("b.model");
        String out = run("train-names", "--out", a.toString(), "--seed", "5", "--sentences", "800", "--epochs", "2", "--bits", "12");
        run("train-names", "--out", b.toString(), "--seed", "5", "--sentences", "800", "--epochs", "2", "--bits", "12");
        assertThat(out).contains("trained on 800 generated texts").contains("sha256 ");
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        org.chatcorpus.pipeline.redact.NameModel m = org.chatcorpus.pipeline.redact.NameModel.load(a);
        assertThat(new org.chatcorpus.pipeline.redact.NameRedactor(m).find("Hello Maria, how are you?")).isNotNull();
        assertThat(run("train-names", "--help")).contains("Examples:").contains("--seed");
    }

    @Test
    void everyVerbHasHelp() {
        CommandLine cl = new CommandLine(new ChatCorpus());
        for (String verb : cl.getSubcommands().keySet()) {
            if (!verb.equals("help")) {
                assertThat(run(verb, "--help")).as(verb).contains("Usage: chatcorpus " + verb);
            }
        }
        assertThat(cl.getSubcommands().keySet()).contains("demo", "stats", "generate", "serve", "leaderboard");
    }

    @Test
    void generateThenStatsJsonReportsTheRelease() throws Exception {
        Path release = dir.resolve("gen");
        run("generate", "--conversations", "3000", "--seed", "5", "--out", release.toString());
        assertThat(release.resolve("README.md")).exists();
        Path json = dir.resolve("stats.json");
        String out = run("stats", release.toString(), "--tokenizer", "none", "--json", json.toString());
        assertThat(out).contains("# Conversations").contains("3,000");
        JsonNode s = JSON.readTree(json.toFile());
        assertThat(s.get("conversations").asLong()).isEqualTo(3000);
        assertThat(s.get("models").asLong()).isEqualTo(25);
        assertThat(s.get("users").isNull()).isTrue();
        assertThat(s.get("avg_prompt_tokens").isNull()).isTrue();
        assertThat(s.get("model_counts").get("vicuna-13b").asLong()).isPositive();
    }

    @Test
    void reportWritesPageJsonChartsAndTopicsWithTheStatsOfStats() throws Exception {
        Path release = dir.resolve("gen");
        run("generate", "--conversations", "1500", "--seed", "8", "--out", release.toString());
        Path json = dir.resolve("stats.json");
        run("stats", release.toString(), "--tokenizer", "cl100k", "--json", json.toString());
        Path out = dir.resolve("report");
        String printed = run("report", release.toString(), "--out", out.toString(), "--tokenizer", "cl100k", "--topics", "3",
                "--sample", "120");
        assertThat(printed).contains("report of 1,500 conversations").contains("3 topics");
        JsonNode r = JSON.readTree(out.resolve("report.json").toFile());
        assertThat(r.get("stats")).isEqualTo(JSON.readTree(json.toFile()));
        assertThat(r.get("topics")).hasSize(3);
        for (JsonNode t : r.get("topics")) {
            assertThat(t.fieldNames()).toIterable().contains("id", "size", "keywords", "examples");
            assertThat(t.get("examples")).hasSize(5);
        }
        assertThat(out.resolve("index.html")).isRegularFile();
        assertThat(out.resolve("topics.parquet")).isRegularFile();
        assertThat(out.resolve("embeddings.bin")).isRegularFile();
        assertThat(out.resolve("charts/conversations-per-model.svg")).isRegularFile();
        assertThat(out.resolve("charts/topic-map.svg")).isRegularFile();
    }

    @Test
    void generateIsByteIdenticalPerSeed() throws Exception {
        run("generate", "--conversations", "1500", "--seed", "9", "--out", dir.resolve("a").toString());
        run("generate", "--conversations", "1500", "--seed", "9", "--out", dir.resolve("b").toString());
        assertThat(Files.readAllBytes(dir.resolve("a/data/train-00000-of-00001.parquet")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b/data/train-00000-of-00001.parquet")));
    }

    @Test
    void statsOnRealShareGptWithLlamaTokens() throws Exception {
        Path f = SharedData.file("fastchat-dummy-conversation.json");
        Path json = dir.resolve("s.json");
        run("stats", f.toString(), "--tokenizer", "llama=" + SharedData.file("llama-tokenizer/llama-tokenizer.json"), "--json", json.toString());
        JsonNode s = JSON.readTree(json.toFile());
        assertThat(s.get("conversations").asLong()).isEqualTo(JSON.readTree(f.toFile()).size());
        assertThat(s.get("tokenizer").asText()).startsWith("llama");
        assertThat(s.get("avg_prompt_tokens").asDouble()).isGreaterThan(1);
    }
}
