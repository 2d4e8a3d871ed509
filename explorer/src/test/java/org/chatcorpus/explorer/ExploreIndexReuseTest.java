package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index is reused while the dataset's files are unchanged and rebuilt when they change. */
class ExploreIndexReuseTest {
    @TempDir
    Path tmp;

    private ExplorerIndex open(Path data, Path index, ByteArrayOutputStream log) throws IOException {
        return ExplorerIndex.openOrBuild(List.of(data.toString()), null, index, Progress.silent("t"), new PrintStream(log, true));
    }

    @Test
    void reusedWhenUnchangedRebuiltWhenChanged() throws Exception {
        Path data = ExploreFixtures.release(tmp.resolve("data"), 500, 3);
        Path index = tmp.resolve("index");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (ExplorerIndex a = open(data, index, log)) {
            assertThat(a.reused()).isFalse();
            assertThat(a.size()).isEqualTo(500);
        }
        assertThat(log.toString()).contains("indexed 500 conversations");
        String fingerprint = Files.readString(index.resolve(ExplorerIndex.FINGERPRINT_FILE));
        assertThat(fingerprint).contains("train-00000-of-00001.parquet");

        try (ExplorerIndex b = open(data, index, log)) {
            assertThat(b.reused()).isTrue();
            assertThat(b.size()).isEqualTo(500);
            assertThat(b.search().count(SearchRequest.parse(java.util.Map.of("q", List.of("quokka"))))).isPositive();
        }
        assertThat(log.toString()).contains("reusing the index");

        // Same files, new modification time: rebuilt.
        Path shard;
        try (var s = Files.list(data.resolve("data"))) {
            shard = s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(shard, FileTime.fromMillis(Files.getLastModifiedTime(shard).toMillis() + 5_000));
        try (ExplorerIndex c = open(data, index, log)) {
            assertThat(c.reused()).isFalse();
            assertThat(c.size()).isEqualTo(500);
        }
        try (ExplorerIndex d = open(data, index, log)) {
            assertThat(d.reused()).isTrue();
        }

        // A new file in the dataset: rebuilt with its conversations, old documents gone.
        ExploreFixtures.release(tmp.resolve("more"), 120, 4);
        Path added;
        try (var s = Files.list(tmp.resolve("more").resolve("data"))) {
            added = s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Files.copy(added, data.resolve("data").resolve("extra.parquet"));
        try (ExplorerIndex e = open(data, index, log)) {
            assertThat(e.reused()).isFalse();
            assertThat(e.size()).isEqualTo(620);
            assertThat(e.statistics().get("conversations").asLong()).isEqualTo(620);
        }
    }

    @Test
    void anInterruptedBuildIsNeverReused() throws Exception {
        Path data = ExploreFixtures.release(tmp.resolve("data"), 200, 3);
        Path index = tmp.resolve("index");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        open(data, index, log).close();
        // Simulate a build that died before writing its fingerprint.
        Files.delete(index.resolve(ExplorerIndex.FINGERPRINT_FILE));
        try (ExplorerIndex again = open(data, index, log)) {
            assertThat(again.reused()).isFalse();
            assertThat(again.size()).isEqualTo(200);
        }
    }

    @Test
    void refusesToWipeAFolderThatIsNotAnIndex() throws Exception {
        Path data = ExploreFixtures.release(tmp.resolve("data"), 50, 3);
        Path notIndex = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(notIndex.resolve("thesis.txt"), "do not delete");
        assertThatThrownBy(() -> open(data, notIndex, new ByteArrayOutputStream())).hasMessageContaining("not an explorer index");
        assertThat(notIndex.resolve("thesis.txt")).exists();
    }
}
