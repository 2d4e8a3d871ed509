package org.chatcorpus.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release folder holds only what may be published, and never describes data that is not there. */
class ReleaseSafetyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path input(String name, int n) throws Exception {
        Path in = Files.createDirectories(dir.resolve("home/alice/logs")).resolve(name);
        SyntheticCorpus corpus = new SyntheticCorpus(7);
        try (JsonlConversationWriter w = JsonlConversationWriter.create(in, false)) {
            for (int i = 0; i < n; i++) {
                w.write(corpus.conversation(i));
            }
            w.write(Conversation.of("dup", "m", List.of(Message.user("a first state"))));
            w.write(Conversation.of("dup", "m", List.of(Message.user("the last state"), Message.assistant("kept"))));
        }
        Files.writeString(in, "{\"conversation_id\": \"x\", \"ip\": \"203.0.113.9\", cut here\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(in.resolveSibling("broken.jsonl"), "not json at all\n");
        return in;
    }

    private static List<String> listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void theReleaseFolderHoldsOnlyShardsCardAndProvenanceAndTheQuarantineLivesBesideIt() throws Exception {
        Path in = input("a.jsonl", 300);
        Path out = dir.resolve("release");
        LocalRunner.Result r = new LocalRunner(PipelineConfig.defaults(), 1 << 20).run(List.of(in.getParent().toString()), null, out);
        assertThat(listing(out)).containsExactly("README.md", "data/train-00000-of-00001.parquet", "provenance.json");
        Path work = dir.resolve("release.work");
        assertThat(r.quarantine()).isEqualTo(work.resolve("quarantine"));
        assertThat(Files.readString(work.resolve("quarantine/read.jsonl"))).contains("203.0.113.9");
        assertThat(listing(out).toString()).doesNotContain("203.0.113.9");

        Path elsewhere = dir.resolve("private/work");
        new LocalRunner(PipelineConfig.defaults(), 1 << 20).run(List.of(in.getParent().toString()), null, out, elsewhere);
        assertThat(elsewhere.resolve("quarantine/read.jsonl")).exists();
        assertThat(listing(out)).containsExactly("README.md", "data/train-00000-of-00001.parquet", "provenance.json");
    }

    @Test
    void provenanceNamesInputsRelativeToTheirCommonFolderWithHashesAndKeysSorted() throws Exception {
        Path in = input("a.jsonl", 50);
        Path out = dir.resolve("release");
        new LocalRunner(PipelineConfig.defaults(), 1 << 20).run(List.of(in.getParent().toString()), null, out);
        String text = Files.readString(out.resolve("provenance.json"));
        assertThat(text).doesNotContain(dir.toString()).doesNotContain("alice");
        JsonNode p = JSON.readTree(text);
        assertThat(p.get("input_root").asText()).isEqualTo("logs");
        assertThat(p.get("inputs")).extracting(n -> n.get("path").asText()).containsExactly("a.jsonl", "broken.jsonl");
        assertThat(p.get("inputs").get(0).get("sha256").asText()).isEqualTo(LocalRunner.sha256(in));
        assertKeysSorted(p, "provenance");

        new LocalRunner(PipelineConfig.defaults(), 1 << 20).withInputRoot(dir.resolve("home")).run(List.of(in.toString()), null, out);
        JsonNode q = JSON.readTree(out.resolve("provenance.json").toFile());
        assertThat(q.get("input_root").asText()).isEqualTo("home");
        assertThat(q.get("inputs").get(0).get("path").asText()).isEqualTo("alice/logs/a.jsonl");
    }

    private static void assertKeysSorted(JsonNode n, String where) {
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                keys.add(it.next());
            }
            assertThat(keys).as(where).isSorted();
            keys.forEach(k -> assertKeysSorted(n.get(k), where + "." + k));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                assertKeysSorted(n.get(i), where + "[" + i + "]");
            }
        }
    }

    @Test
    void everyDropOfEveryStageIsInTheQuarantineWithItsReason() throws Exception {
        Path in = input("a.jsonl", 400);
        Path out = dir.resolve("release");
        PipelineConfig cfg = PipelineConfig.defaults().withOption("sample", "n", 100);
        LocalRunner.Result r = new LocalRunner(cfg, 1 << 20).run(List.of(in.toString()), null, out);
        long total = 0;
        for (StageCounts c : r.counts()) {
            Path file = r.quarantine().resolve(c.stage() + ".jsonl");
            List<String> lines = c.droppedTotal() == 0 && !Files.exists(file) ? List.of() : Files.readAllLines(file);
            assertThat(lines).as(c.stage()).hasSize((int) c.droppedTotal());
            for (Map.Entry<String, Long> e : c.dropped().entrySet()) {
                assertThat(lines.stream().filter(l -> l.contains("\"reason\":\"" + e.getKey() + "\"")).count()).as(c.stage() + " " + e.getKey())
                        .isEqualTo(e.getValue());
            }
            total += c.droppedTotal();
        }
        assertThat(r.counts().stream().filter(c -> c.stage().equals("dedup")).findFirst().orElseThrow().dropped()).containsKey("duplicate_id");
        assertThat(Files.readString(r.quarantine().resolve("dedup.jsonl"))).contains("a first state");
        assertThat(Files.readAllLines(r.quarantine().resolve("sample.jsonl"))).isNotEmpty();
        assertThat(total + r.output().numExamples()).isEqualTo(402);
        assertThat(r.quarantined()).isEqualTo(1); // the cut line
    }

    @Test
    void aRerunThatDoesNotFinishLeavesNoStaleCardOrProvenance() throws Exception {
        Path in = input("a.jsonl", 8000);
        Path out = dir.resolve("release");
        new LocalRunner(PipelineConfig.defaults(), 4 << 20).run(List.of(in.toString()), null, out);
        assertThat(out.resolve("README.md")).exists();
        assertThat(out.resolve("provenance.json")).exists();

        Files.writeString(in, "", java.nio.file.StandardOpenOption.APPEND); // touch: a new run, not a resume
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), CurateMain.class.getName(), in.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path firstPhaseDone = LocalRunner.defaultWorkDir(out).resolve("run/phase-0/DONE");
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(firstPhaseDone) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("the child must still be running when we kill it; log: " + log).isTrue();
        p.destroyForcibly().waitFor();
        assertThat(out.resolve("README.md")).doesNotExist();
        assertThat(out.resolve("provenance.json")).doesNotExist();
    }

    @Test
    void aRerunWithAMistypedInputLeavesTheExistingReleaseWhole() throws Exception {
        Path in = input("a.jsonl", 20);
        Path out = dir.resolve("release");
        new LocalRunner(PipelineConfig.defaults(), 1 << 20).run(List.of(in.toString()), null, out);
        List<String> before = listing(out);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LocalRunner(PipelineConfig.defaults(), 1 << 20)
                .run(List.of(in.resolveSibling("no-such-file.jsonl").toString()), null, out))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThat(listing(out)).isEqualTo(before);
    }
}
