package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `curate --moderation openai` against a real loopback endpoint that refuses every request (401):
 * by default the run stops with a message naming the endpoint and status and keeps a resumable
 * state; with {@code --on-moderation-error skip} it finishes, the conversations unmoderated and
 * counted. Run as a child process, since the endpoint comes from the environment.
 */
class CurateModerationErrorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    HttpServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/moderations", ex -> {
            byte[] out = "{\"error\":{\"message\":\"Incorrect API key provided\"}}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(401, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private record Outcome(int code, String stdout, String stderr) {
    }

    private Outcome curate(String... extra) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ChatCorpus.class.getName(), "curate", dir.resolve("in.jsonl").toString(),
                "--out", dir.resolve("release").toString(), "--moderation", "openai"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        pb.environment().put("OPENAI_BASE_URL", base);
        pb.environment().put("OPENAI_API_KEY", "wrong-key");
        pb.environment().put("CHATCORPUS_MODERATION_CACHE", dir.resolve("cache.jsonl").toString());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    @Test
    void aRefusingEndpointStopsTheRunClearlyAndSkipFinishesItWithTheConversationsCountedAsUnmoderated() throws Exception {
        try (JsonlConversationWriter w = JsonlConversationWriter.create(dir.resolve("in.jsonl"), false)) {
            for (int i = 0; i < 30; i++) {
                w.write(Conversation.of("c" + i, "m", List.of(Message.user("question number " + i), Message.assistant("answer " + i))));
            }
        }
        Outcome fail = curate();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/moderations";
        assertThat(fail.code()).as(fail.stderr()).isEqualTo(3);
        assertThat(fail.stderr()).contains(endpoint).contains("HTTP 401").contains("rerun the same command").doesNotContain("\tat ");
        Path work = dir.resolve("release.work");
        assertThat(work.resolve("run/phase-0/DONE")).as("finished phases are kept for the rerun").exists();
        assertThat(dir.resolve("release/provenance.json")).doesNotExist();

        Outcome skip = curate("--on-moderation-error", "skip");
        assertThat(skip.code()).as(skip.stderr()).isZero();
        assertThat(skip.stdout()).contains(work.toString());
        JsonNode moderate = null;
        for (JsonNode s : JSON.readTree(dir.resolve("release/provenance.json").toFile()).get("stages")) {
            if (s.get("stage").asText().equals("moderate")) {
                moderate = s;
            }
        }
        assertThat(moderate.get("noted").get("unmoderated").asLong()).isEqualTo(30);
        List<String> listed = Files.readAllLines(work.resolve("quarantine/moderate.unmoderated.jsonl"));
        assertThat(listed).hasSize(30);
        assertThat(listed.get(0)).contains("HTTP 401");
        List<Conversation> release = new DatasetReader(List.of(dir.resolve("release").toString()), null).readAll(Quarantine.counting());
        assertThat(release).hasSize(30).allMatch(c -> c.openaiModeration().isEmpty());
    }
}
