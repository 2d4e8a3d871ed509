package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatcorpus.cli.CliRun.run;

import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.chatcorpus.server.arena.ArenaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, twice into the same folder: the second run starts from a clean output and
 * writes the same bytes (release shards, Arena logs, report.json, leaderboard.json) as the first.
 */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void demoRunsEndToEndAndRepeatsByteForByte() throws Exception {
        Path out = dir.resolve("demo");
        String[] args = {"demo", "--out", out.toString(), "--conversations", "300", "--visitors", "40", "--topics", "2"};
        String first = run(args);
        assertThat(first).contains("| synthetic release | 300 |").contains("| curated Arena release |").contains("rank")
                .contains("topic 0").doesNotContain("removed the previous demo");
        assertThat(out.resolve("arena/logs")).isDirectoryContaining("glob:**-conv.json");
        assertThat(out.resolve("release/provenance.json")).exists();
        assertThat(out.resolve("report/index.html")).exists();
        Map<String, byte[]> before = artifacts(out);
        assertThat(before.keySet()).contains("release/data/train-00000-of-00001.parquet", "report/report.json", "leaderboard.json", "moderation.model",
                "generated/data/train-00000-of-00001.parquet", "report/topics.parquet");
        assertThat(before.keySet()).anyMatch(k -> k.startsWith("arena/logs/"));

        String second = run(args);
        assertThat(second).contains("removed the previous demo's").contains("starts from a clean output");
        Map<String, byte[]> after = artifacts(out);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String name : before.keySet()) {
            assertThat(after.get(name)).as(name + " differs between two runs with the same seed").isEqualTo(before.get(name));
        }
    }

    /** Every output file whose bytes are promised to repeat: all but the provenance's wall-clock and the H2 database. */
    private static Map<String, byte[]> artifacts(Path out) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        List<Path> all;
        try (Stream<Path> walk = Files.walk(out)) {
            all = walk.filter(Files::isRegularFile).toList();
        }
        for (Path p : all) {
            String name = out.relativize(p).toString().replace('\\', '/');
            boolean promised = name.startsWith("release/data/") || name.startsWith("generated/data/") || name.startsWith("arena/logs/")
                    || name.equals("report/report.json") || name.equals("report/topics.parquet") || name.equals(DemoOutput.LEADERBOARD)
                    || name.equals("moderation.model"); // distillation and training repeat byte for byte
            if (promised) {
                files.put(name, Files.readAllBytes(p));
            }
        }
        return files;
    }

    @Test
    void theServeConfigExampleInDocsParses() throws Exception {
        Path example = Path.of("..", "docs", "arena.example.yaml");
        ArenaConfig cfg = ArenaConfig.read(example);
        assertThat(cfg.models()).extracting(m -> m.name()).containsExactly("vicuna-13b", "llama-13b");
        assertThat(cfg.port()).isEqualTo(7860);
        assertThat(ArenaConfig.defaults().dataDir()).doesNotStartWith("arena-data").contains("chatcorpus");
    }
}
