package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chatcorpus.server.storage.EventStore;
import org.chatcorpus.server.storage.LoggedLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conversation log: durable on return, never stopped by one line or one failed write, repaired after a crash. */
class ConversationLogTest {
    private static final double DAY = 1_765_000_000.0; // 2025-12-06 UTC
    private static final String FILE = "2025-12-06-conv.json";

    @TempDir
    Path dir;

    @Test
    void aTornLastLineIsCutOffOnOpenAndCounted() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve(FILE), "{\"type\":\"chat\",\"tstamp\":1}\n{\"type\":\"chat\",\"tst");
        try (ConversationLog log = ConversationLog.open(logs)) {
            assertThat(log.repaired()).containsExactly(new ConversationLog.TornLine(FILE, 27, 19));
            assertThat(log.repaired().get(0).describe()).contains("torn last line").contains("never acknowledged");
            log.append(DAY, "{\"type\":\"chat\",\"tstamp\":2}");
        }
        assertThat(Files.readAllLines(logs.resolve(FILE))).containsExactly("{\"type\":\"chat\",\"tstamp\":1}", "{\"type\":\"chat\",\"tstamp\":2}");
    }

    @Test
    void aLoneSurrogateIsWrittenAsTheReplacementCharacterAndTheNextLineFollows() throws Exception {
        try (ConversationLog log = ConversationLog.open(dir)) {
            LoggedLine first = log.append(DAY, "{\"p\":\"a\uD800b\"}");
            LoggedLine second = log.append(DAY, "{\"p\":\"ok\"}");
            assertThat(first.json()).isEqualTo("{\"p\":\"a\uFFFDb\"}");
            assertThat(second.offset()).isEqualTo(first.end());
        }
        assertThat(Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8)).isEqualTo("{\"p\":\"a\uFFFDb\"}\n{\"p\":\"ok\"}\n");
    }

    @Test
    void aFailedWriteIsReportedToItsCallerAndTheWriterGoesOn() throws Exception {
        Files.createDirectories(dir.resolve(FILE)); // the day's file cannot be opened: it is a directory
        try (ConversationLog log = ConversationLog.open(dir)) {
            assertThatThrownBy(() -> log.append(DAY, "{\"n\":1}")).isInstanceOf(IOException.class)
                    .hasMessageContaining(FILE).hasMessageContaining("not recorded");
            Files.delete(dir.resolve(FILE));
            LoggedLine line = log.append(DAY, "{\"n\":2}");
            assertThat(line.offset()).isZero();
        }
        assertThat(Files.readAllLines(dir.resolve(FILE))).containsExactly("{\"n\":2}");
    }

    @Test
    void concurrentAppendsReachTheLogAndTheDatabaseExactlyOnce() throws Exception {
        Path logs = dir.resolve("logs");
        try (EventStore store = EventStore.open(null, null, null, dir)) {
            ConversationLog log = ConversationLog.open(logs, store::offer);
            store.follow(logs);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int writer = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        log.append(DAY + i, "{\"tstamp\":" + (DAY + i) + ",\"type\":\"" + (i % 7 == 0 ? "upvote" : "chat")
                                + "\",\"state\":{\"conv_id\":\"c" + writer + "\"},\"n\":" + i + "}");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            log.close();
            assertThat(Files.readAllLines(logs.resolve(FILE))).hasSize(2_000);
            assertThat(store.count(null)).isEqualTo(2_000);
            assertThat(store.count("upvote")).isEqualTo(4 * ((500 + 6) / 7));
            for (int t = 0; t < 4; t++) {
                String conv = "c" + t;
                assertThat(store.all().stream().filter(e -> e.convId().equals(conv))).hasSize(500);
            }
        }
    }
}
