package org.chatcorpus.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same input and configuration, same bytes: curate in separate JVMs (each with its own identity
 * hash codes and Map.of order) on one core and on two, and once killed and resumed, gives
 * byte-identical shards, dataset card and provenance (but for its timing).
 */
class SameBytesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ProcessBuilder curate(Path in, Path out, int cores) {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-XX:ActiveProcessorCount=" + cores, "-cp", System.getProperty("java.class.path"), CurateMain.class.getName(),
                in.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(out.getFileName() + "-" + cores + ".log").toFile());
    }

    private void finish(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        assertThat(p.waitFor()).as("child exit code; log in " + dir).isZero();
    }

    @Test
    void oneCoreTwoCoresAndAResumedRunGiveTheSameBytes() throws Exception {
        Path in = dir.resolve("in.jsonl");
        SyntheticCorpus corpus = new SyntheticCorpus(23);
        try (JsonlConversationWriter w = JsonlConversationWriter.create(in, false)) {
            for (int i = 0; i < 8_000; i++) {
                w.write(corpus.conversation(i));
            }
        }
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        finish(curate(in, one, 1));
        finish(curate(in, two, 2));

        // Killed with SIGKILL as each phase finishes (validate+filter, dedup, language+…+sample), resumed each time
        // on the other core count; the last kill lands while the release is being written, when the child is still there.
        Path resumed = dir.resolve("resumed");
        int kills = 0;
        for (int phase = 0; phase < 3; phase++) {
            Process p = curate(in, resumed, 2 - phase % 2).start();
            Path done = LocalRunner.defaultWorkDir(resumed).resolve("run/phase-" + phase + "/DONE");
            long deadline = System.currentTimeMillis() + 120_000;
            while (!Files.exists(done) && p.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();
                kills++;
            }
        }
        System.out.println("SameBytesTest: killed " + kills + " time(s) at phase ends");
        assertThat(kills).as("kill points reached while the child was running").isGreaterThanOrEqualTo(2);
        finish(curate(in, resumed, 1));

        assertThat(CurateTest.shardBytes(two)).isEqualTo(CurateTest.shardBytes(one));
        assertThat(CurateTest.shardBytes(resumed)).isEqualTo(CurateTest.shardBytes(one));
        assertThat(Files.readString(two.resolve("README.md"))).isEqualTo(Files.readString(one.resolve("README.md")));
        assertThat(provenanceWithoutTiming(two)).isEqualTo(provenanceWithoutTiming(one));
        assertThat(provenanceWithoutTiming(resumed)).isEqualTo(provenanceWithoutTiming(one));
    }

    /** provenance.json as text with its one wall-clock field, {@code timing}, removed. */
    static String provenanceWithoutTiming(Path release) throws Exception {
        String text = Files.readString(release.resolve("provenance.json"));
        ObjectNode n = (ObjectNode) JSON.readTree(text);
        assertThat(n.has("timing")).isTrue();
        // the text must already be canonical: re-rendering it in key order changes nothing
        List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  \"timing\" : {")) {
                from = i;
            } else if (from >= 0 && to < 0 && lines.get(i).startsWith("  }")) {
                to = i;
            }
        }
        assertThat(from).isPositive();
        return String.join("\n", lines.subList(0, from)) + "\n" + String.join("\n", lines.subList(to + 1, lines.size()));
    }
}
