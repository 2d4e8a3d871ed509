package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `compare` end to end on generated releases: files written, counts consistent, and an empty input is exit 3. */
class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void twoGeneratedReleasesAreComparedIntoJsonAndHtml() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertThat(ChatCorpus.execute("generate", "--conversations", "2000", "--seed", "1", "--out", a.toString())).isZero();
        assertThat(ChatCorpus.execute("generate", "--conversations", "1000", "--seed", "2", "--out", b.toString())).isZero();
        Path out = dir.resolve("cmp");
        assertThat(ChatCorpus.execute("compare", a.toString(), b.toString(), "--out", out.toString(), "--topics", "0",
                "--tokenizer", "cl100k")).isZero();
        JsonNode r = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertThat(r.path("a").path("conversations").asLong()).isEqualTo(2000);
        assertThat(r.path("b").path("conversations").asLong()).isEqualTo(1000);
        assertThat(r.path("overlap").path("exact").asLong()).isBetween(0L, 1000L);
        assertThat(r.path("overlap").path("near").asLong()).isGreaterThanOrEqualTo(r.path("overlap").path("exact").asLong());
        assertThat(Files.readString(out.resolve("index.html"))).contains("Prompt overlap");
    }

    @Test
    void anEmptyInputExitsThreeAndWritesNothing() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path out = dir.resolve("cmp");
        assertThat(ChatCorpus.execute("compare", empty.toString(), empty.toString(), "--out", out.toString(), "--topics", "0")).isEqualTo(3);
        assertThat(out).doesNotExist();
    }
}
