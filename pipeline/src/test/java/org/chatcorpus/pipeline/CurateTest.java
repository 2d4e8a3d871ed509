package org.chatcorpus.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path fastChatFixture() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        for (String f : List.of("2024-05-01-conv.json", "2024-05-02-conv.json")) {
            try (InputStream in = getClass().getResourceAsStream("/fastchat-logs/" + f)) {
                Files.copy(in, logs.resolve(f));
            }
        }
        return logs;
    }

    private static Map<String, StageCounts> byStage(LocalRunner.Result r) {
        Map<String, StageCounts> m = new java.util.LinkedHashMap<>();
        r.counts().forEach(c -> m.put(c.stage(), c));
        return m;
    }

    @Test
    void fastChatLogsReproduceTheSeedSystemsCountsEndToEnd() throws Exception {
        Path out = dir.resolve("release");
        PipelineConfig cfg = PipelineConfig.defaults();
        LocalRunner.Result r = new LocalRunner(cfg, 1 << 20).run(List.of(fastChatFixture().toString()), null, out);
        // clean_chat_data.py on the fixture: 11 chat events, 2 invalid_conv_id, 3 invalid, 1 network error,
        // 5 valid states of 3 conversations, of which the last state of each survives. Malformed lines: 2.
        assertThat(r.quarantined()).isEqualTo(7);
        assertThat(byStage(r).get("validate").seen()).isEqualTo(3);
        assertThat(r.output().numExamples()).isEqualTo(3);
        JsonNode prov = JSON.readTree(out.resolve("provenance.json").toFile());
        assertThat(prov.get("inputs")).hasSize(2);
        assertThat(prov.get("inputs").get(0).get("sha256").asText()).hasSize(64);
        assertThat(prov.get("stages").get(0).get("stage").asText()).isEqualTo("validate");
        assertThat(prov.get("tools").has("language")).isTrue();
        Path quarantine = LocalRunner.defaultWorkDir(out).resolve("quarantine");
        assertThat(r.quarantine()).isEqualTo(quarantine);
        assertThat(Files.readAllLines(quarantine.resolve("read.jsonl"))).hasSize(7);
        List<Conversation> release = new DatasetReader(List.of(out.toString()), null).readAll(Quarantine.counting());
        assertThat(release).extracting(Conversation::model).containsExactly("vicuna-13b", "palm-2", "gpt-4"); // the release had no GPT snapshot renames
        assertThat(release.get(0).language()).isEqualTo("English");
        assertThat(release.get(1).language()).isEqualTo("French");
        assertThat(release).allMatch(c -> c.userId() == null); // collection-side fields are dropped from the release
        assertThat(Files.readString(out.resolve("README.md"))).contains("num_examples: 3");
        assertThat(LocalRunner.defaultWorkDir(out).resolve("run")).doesNotExist(); // run state goes once the release is written
    }

    @Test
    void filterDropsEachKindOfBadConversationWithItsReason() throws Exception {
        Path in = dir.resolve("in.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(in, false)) {
            w.write(Conversation.of("1", "m", List.of(Message.user("fine"), Message.assistant("ok"))));
            w.write(Conversation.of("2", "m", List.of(Message.user("contains <ANONYMIZED> marker"), Message.assistant("ok"))));
            w.write(Conversation.of("3", "m", List.of(Message.user("has <redacted>"), Message.assistant("ok"))));
            w.write(Conversation.of("4", "m", List.of(Message.user("我們討論這個禁詞吧"), Message.assistant("ok"))));
            w.write(Conversation.of("5", "bad-model", List.of(Message.user("hello"), Message.assistant("ok"))));
            w.write(Conversation.of("6", "m", List.of(Message.user("hi"), Message.assistant("NETWORK ERROR DUE TO HIGH TRAFFIC. PLEASE REGENERATE OR REFRESH THIS PAGE."))));
            w.write(Conversation.of("7", "m", List.of()));
            w.write(Conversation.of("8", "m", List.of(Message.assistant("no user"))));
        }
        PipelineConfig cfg = new PipelineConfig(1, List.of(new PipelineConfig.StageSpec("validate", Map.of()),
                new PipelineConfig.StageSpec("network_error", Map.of()),
                new PipelineConfig.StageSpec("filter", Map.of("blockedWords", List.of("我们讨论这个禁词"), "blockedModels", List.of("bad-model")))));
        LocalRunner.Result r = new LocalRunner(cfg, 1 << 20).run(List.of(in.toString()), null, dir.resolve("out"));
        assertThat(byStage(r).get("validate").dropped()).isEqualTo(Map.of("empty_conversation", 1L, "no_user_message", 1L));
        // The blocked word is Simplified; the text is Traditional: t2s folding makes them match.
        assertThat(byStage(r).get("network_error").dropped()).isEqualTo(Map.of("network_error", 1L));
        assertThat(byStage(r).get("filter").dropped()).isEqualTo(Map.of("anonymized", 1L, "redacted", 1L, "blocked_word", 1L,
                "blocked_model", 1L));
        assertThat(r.output().numExamples()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve("out.work/quarantine/filter.jsonl"))).hasSize(4);
    }

    @Test
    void dedupKeepsTheLastStateAndWithDropCapsHighFrequencyPrompts() throws Exception {
        Path in = dir.resolve("dups.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(in, false)) {
            w.write(Conversation.of("same", "m", List.of(Message.user("first state"))));
            for (int i = 0; i < 200; i++) {
                w.write(Conversation.of("u" + i, "m", List.of(Message.user("unique prompt " + i), Message.assistant("a"))));
            }
            for (int i = 0; i < 50; i++) {
                w.write(Conversation.of("spam" + i, "m", List.of(Message.user("hi"), Message.assistant("hello"))));
            }
            w.write(Conversation.of("same", "m", List.of(Message.user("last state"), Message.assistant("kept"))));
        }
        PipelineConfig cfg = new PipelineConfig(3, List.of(new PipelineConfig.StageSpec("dedup", Map.of("percentile", 0.99, "highFrequency", "drop"))));
        LocalRunner.Result r = new LocalRunner(cfg, 1 << 20).run(List.of(in.toString()), null, dir.resolve("out"));
        // 202 distinct prompt keys: 201 of count 1 and "hi\n" with 50; the 0.99 quantile of the counts is 1.0,
        // so "hi" keeps int(1.0) = 1 occurrence.
        assertThat(byStage(r).get("dedup").dropped()).isEqualTo(Map.of("duplicate_id", 1L, "high_frequency_prompt", 49L));
        List<Conversation> out = new DatasetReader(List.of(dir.resolve("out").toString()), null).readAll(Quarantine.counting());
        assertThat(out).filteredOn(c -> c.conversationId().equals("same")).extracting(Conversation::firstPrompt).containsExactly("last state");
        assertThat(out).hasSize(202);
    }

    @Test
    void sameInputConfigAndSeedGiveByteIdenticalShards() throws Exception {
        Path in = synthetic(3000);
        PipelineConfig cfg = PipelineConfig.defaults().withOption("sample", "n", 2000);
        new LocalRunner(cfg, 1 << 20).run(List.of(in.toString()), null, dir.resolve("a"));
        new LocalRunner(cfg, 1 << 20).run(List.of(in.toString()), null, dir.resolve("b"));
        assertThat(shardBytes(dir.resolve("a"))).isEqualTo(shardBytes(dir.resolve("b")));
        assertThat(Files.readString(dir.resolve("a/README.md"))).isEqualTo(Files.readString(dir.resolve("b/README.md")));
    }

    @Test
    void aRunKilledWithSigkillResumesToTheSameBytes() throws Exception {
        Path in = synthetic(15_000);
        PipelineConfig cfg = PipelineConfig.defaults();
        Path reference = dir.resolve("reference");
        new LocalRunner(cfg, 4 << 20).run(List.of(in.toString()), null, reference);

        Path killed = dir.resolve("killed");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), CurateMain.class.getName(), in.toString(), killed.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path firstPhaseDone = LocalRunner.defaultWorkDir(killed).resolve("run/phase-0/DONE");
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(firstPhaseDone) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("the child must still be running when we kill it; log: " + dir.resolve("child.log")).isTrue();
        p.destroyForcibly().waitFor(); // SIGKILL on Linux
        assertThat(firstPhaseDone).exists();
        assertThat(killed.resolve("provenance.json")).doesNotExist();

        LocalRunner.Result resumed = new LocalRunner(cfg, 4 << 20).run(List.of(in.toString()), null, killed);
        assertThat(shardBytes(killed)).isEqualTo(shardBytes(reference));
        assertThat(resumed.counts().get(0).seen()).isEqualTo(15_000); // the finished phase's counts were kept
    }

    private Path synthetic(int n) throws Exception {
        Path in = dir.resolve("synthetic-" + n + ".jsonl");
        SyntheticCorpus corpus = new SyntheticCorpus(11);
        try (JsonlConversationWriter w = JsonlConversationWriter.create(in, false)) {
            for (int i = 0; i < n; i++) {
                w.write(corpus.conversation(i));
            }
        }
        return in;
    }

    /** File name and SHA-256 of every shard: equal lists mean byte-identical releases. */
    static List<String> shardBytes(Path release) throws Exception {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(release.resolve("data"))) {
            for (Path p : s.sorted().toList()) {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                out.add(p.getFileName() + " " + java.util.HexFormat.of().formatHex(d));
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }
}
