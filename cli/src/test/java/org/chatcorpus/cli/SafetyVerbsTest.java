package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatcorpus.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.io.OutputStream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safety verbs end to end through the command line, against one loopback chat endpoint that is both a model and a judge. */
class SafetyVerbsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer server;

    /** The judge (asked with a system prompt) flags "kill"; the model (no system prompt) echoes the ask. */
    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            JsonNode req = JSON.readTree(ex.getRequestBody());
            boolean judge = req.get("messages").get(0).path("role").asText().equals("system");
            JsonNode msgs = req.get("messages");
            String last = msgs.get(msgs.size() - 1).path("content").asText();
            String answer = judge ? "{\"flagged\": " + last.contains("kill") + ", \"categories\": [" + (last.contains("kill") ? "\"violence\"" : "") + "]}"
                    : "Sure: " + last;
            ObjectNode resp = JSON.createObjectNode();
            resp.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("message")
                    .put("role", "assistant").put("content", answer);
            byte[] b = resp.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Test
    void safetyThenSafetyBenchOnAGeneratedRelease() throws Exception {
        Path release = dir.resolve("gen");
        run("generate", "--conversations", "800", "--seed", "3", "--out", release.toString());
        Map<String, long[]> expected = new TreeMap<>();
        for (Conversation c : new DatasetReader(List.of(release.toString()), null).readAll(Quarantine.counting())) {
            boolean u = false;
            boolean a = false;
            for (int i = 0; i < c.openaiModeration().size(); i++) {
                boolean f = c.openaiModeration().get(i).flagged();
                u |= f && c.conversation().get(i).isUser();
                a |= f && c.conversation().get(i).isAssistant();
            }
            long[] e = expected.computeIfAbsent(c.model(), m -> new long[3]);
            e[0]++;
            e[1] += u ? 1 : 0;
            e[2] += u && a ? 1 : 0;
        }
        Path s = dir.resolve("safety");
        String out = run("safety", release.toString(), "--out", s.toString(), "--top", "2");
        assertThat(out).contains("attempts");
        JsonNode json = JSON.readTree(s.resolve("safety.json").toFile());
        long benchmarkPrompts = 0;
        for (var e : expected.entrySet()) {
            JsonNode m = json.get("models").get(e.getKey());
            assertThat(m.get("conversations").asLong()).as(e.getKey()).isEqualTo(e.getValue()[0]);
            assertThat(m.get("attempts").asLong()).as(e.getKey()).isEqualTo(e.getValue()[1]);
            assertThat(m.get("successes").asLong()).as(e.getKey()).isEqualTo(e.getValue()[2]);
            benchmarkPrompts += Math.min(2, e.getValue()[1]);
        }
        assertThat(Files.readAllLines(s.resolve("benchmark.jsonl"))).hasSize((int) benchmarkPrompts);

        Path b = dir.resolve("bench");
        run("safety-bench", s.resolve("benchmark.jsonl").toString(), "--model", "echo=" + url(), "--moderator", "llm=judge@" + url(),
                "--out", b.toString());
        JsonNode bench = JSON.readTree(b.resolve("bench.json").toFile());
        assertThat(bench.get("models").get("echo").get("prompts").asLong()).isEqualTo(benchmarkPrompts);
        long kills = Files.readAllLines(b.resolve("responses.jsonl")).stream().map(l -> {
            try {
                return JSON.readTree(l).get("response").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(r -> r.contains("kill")).count();
        assertThat(bench.get("models").get("echo").get("successes").asLong()).isEqualTo(kills);
    }

    @Test
    void anEmbeddingModelIsTrainedEvaluatedAndNamedInTheCardOfTheReleaseItTags() throws Exception {
        Path labeled = dir.resolve("labeled.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add("{\"prompt\": \"I will kill you and your family, number " + i + "\", \"V\": 1, \"S\": 0}");
            lines.add("{\"prompt\": \"What a lovely garden, tell me about flower " + i + "\", \"V\": 0, \"S\": 0}");
            lines.add("{\"prompt\": \"Recipe " + i + ": how long should I bake bread?\", \"V\": 0, \"S\": 0}");
        }
        Files.write(labeled, lines);
        Path model = dir.resolve("m.model");
        assertThat(run("train-moderation", labeled.toString(), "--kind", "embedding", "--out", model.toString())).contains("5-fold");

        Path e = dir.resolve("eval");
        String out = run("moderation-eval", labeled.toString(), "--moderator", "local=" + model, "--moderator", "llm=judge@" + url(),
                "--one-shot", "--out", e.toString(), "--challenge-set", e.resolve("missed.jsonl").toString());
        assertThat(out).contains("local=m.model").contains("llm=judge (one-shot)");
        JsonNode eval = JSON.readTree(e.resolve("eval.json").toFile());
        assertThat(eval.get("moderators").get("llm=judge (one-shot)").get("flagged").get("f1").asDouble()).isEqualTo(1.0);
        assertThat(e.resolve("missed.jsonl")).exists();

        Path raw = dir.resolve("raw.jsonl");
        Files.writeString(raw, "{\"messages\": [{\"role\": \"user\", \"content\": \"I will kill you\"}, {\"role\": \"assistant\", \"content\": \"No.\"}]}\n"
                + "{\"messages\": [{\"role\": \"user\", \"content\": \"Hello, how are you?\"}, {\"role\": \"assistant\", \"content\": \"Fine.\"}]}\n");
        Path cur = dir.resolve("cur");
        run("curate", raw.toString(), "--out", cur.toString(), "--moderation", "local=" + model);
        assertThat(Files.readString(cur.resolve("README.md"))).contains("filled by a local model").contains("embedding model")
                .contains("labeled.jsonl");
        assertThat(Files.readString(cur.resolve("provenance.json"))).contains("embedding model");
    }
}
