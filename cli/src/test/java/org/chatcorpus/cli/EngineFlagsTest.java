package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --engine and --master on curate and stats. The cli's class path has the Spark engine's provider
 * but not Spark (the spark module has it as `provided`), as a `java -jar` run does: asking for
 * Spark there is a one-line error saying how to get it, and nothing else loads Spark.
 */
class EngineFlagsTest {
    @TempDir
    static Path dir;
    static Path release;

    record Outcome(int code, String err) {
    }

    @BeforeAll
    static void smallRelease() {
        release = dir.resolve("release");
        assertThat(ChatCorpus.execute("generate", "--conversations", "50", "--seed", "3", "--out", release.toString())).isZero();
    }

    private static Outcome run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return new Outcome(ChatCorpus.execute(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    @Test
    void sparkWithoutSparkOnTheClassPathSaysWhatToBuildAndRun() {
        Outcome o = run("curate", release.toString(), "--out", dir.resolve("out").toString(), "--engine", "spark", "--master", "local[2]");
        assertThat(o.code()).as(o.err()).isEqualTo(1);
        assertThat(o.err()).startsWith("error: Spark is not on the class path").contains("./chatcorpus").doesNotContain("\tat ");
        assertThat(o.err().lines().count()).isLessThanOrEqualTo(2);
        Outcome s = run("stats", release.toString(), "--engine", "spark");
        assertThat(s.code()).as(s.err()).isEqualTo(1);
        assertThat(s.err()).startsWith("error: Spark is not on the class path");
    }

    @Test
    void badEngineFlagsAreUsageErrors() {
        Outcome master = run("curate", release.toString(), "--out", dir.resolve("o1").toString(), "--master", "local[2]");
        assertThat(master.code()).isEqualTo(2);
        assertThat(master.err()).contains("--master belongs to --engine spark");
        Outcome unknown = run("curate", release.toString(), "--out", dir.resolve("o2").toString(), "--engine", "flink");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--engine must be local or spark");
        Outcome uri = run("curate", release.toString(), "--out", "hdfs://namenode:8020/curated");
        assertThat(uri.code()).isEqualTo(2);
        assertThat(uri.err()).contains("add --engine spark");
        Outcome arena = run("curate", release.toString(), "--out", dir.resolve("o3").toString(), "--profile", "arena-33k", "--engine", "spark");
        assertThat(arena.code()).isEqualTo(2);
    }
}
