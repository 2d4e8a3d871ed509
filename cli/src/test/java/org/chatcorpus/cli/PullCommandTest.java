package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chatcorpus.core.io.hub.FakeHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pull` against a loopback Hub: the last line is the snapshot folder, errors are one line and non-zero. */
class PullCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new Run(ChatCorpus.execute(args), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void theLastLinePrintedIsTheSnapshotFolder() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            Run r = run("pull", FakeHub.REPO, "--endpoint", hub.endpoint(), "--token", FakeHub.TOKEN,
                    "--cache-dir", dir.toString(), "--include", "data/*.parquet");
            assertThat(r.code()).isZero();
            String[] lines = r.out().strip().split("\n");
            Path snapshot = Path.of(lines[lines.length - 1]);
            assertThat(snapshot).isEqualTo(dir.resolve("datasets--lmsys--lmsys-chat-1m/snapshots/" + FakeHub.COMMIT));
            try (var files = Files.walk(snapshot)) {
                assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count()).isEqualTo(3);
            }
            assertThat(r.err()).contains("3 files, 3 downloaded");
        }
    }

    @Test
    void aGatedDatasetWithoutATokenExitsOneWithOneLineThatSaysWhatToDo() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            Run r = run("pull", FakeHub.REPO, "--endpoint", hub.endpoint(), "--cache-dir", dir.toString(),
                    "--token", "");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip().split("\n")).hasSizeLessThanOrEqualTo(2);
            assertThat(r.err()).startsWith("error: ");
            assertThat(r.err()).contains("accept the dataset's terms").contains("HF_TOKEN").doesNotContain("Exception");
        }
    }

    @Test
    void aMalformedRepoIdIsAUsageError() {
        Run r = run("pull", "not a repo", "--cache-dir", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("OWNER/NAME");
    }
}
