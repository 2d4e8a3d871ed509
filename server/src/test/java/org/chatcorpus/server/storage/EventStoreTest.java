package org.chatcorpus.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database follows the conversation log: every line once, whatever it missed while running or stopped. */
class EventStoreTest {
    private static final String FILE = "2026-01-01-conv.json";

    @TempDir
    Path dir;

    private static String chat(int i) {
        return "{\"tstamp\":" + (1000 + i) + ".5,\"type\":\"chat\",\"model\":\"m\",\"state\":{\"conv_id\":\"c" + i
                + "\",\"messages\":[[\"USER\",\"q" + i + "\"]],\"model_name\":\"m\"},\"ip\":\"u\"}";
    }

    /** Appends lines to the log file as the log writer does; returns their positions. */
    private List<LoggedLine> write(Path logs, String... lines) throws Exception {
        Files.createDirectories(logs);
        Path f = logs.resolve(FILE);
        long at = Files.exists(f) ? Files.size(f) : 0;
        List<LoggedLine> out = new ArrayList<>();
        for (String l : lines) {
            byte[] b = (l + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(f, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            out.add(new LoggedLine(FILE, at, at + b.length, l));
            at += b.length;
        }
        return out;
    }

    @Test
    void onStartTheDatabaseStoresEveryLogLineItDoesNotHoldExactlyOnce() throws Exception {
        Path logs = dir.resolve("logs");
        write(logs, chat(1), chat(2), "not json at all", chat(3));
        try (EventStore store = EventStore.open(null, null, null, dir)) {
            EventStore.Recovery r = store.follow(logs);
            assertThat(r.caughtUp()).isEqualTo(3);
            assertThat(r.unreadable()).isEqualTo(1);
            assertThat(r.describe()).contains("3 events").contains("1 log lines are not JSON events");
        }
        write(logs, chat(4), chat(5));
        try (EventStore store = EventStore.open(null, null, null, dir)) {
            assertThat(store.follow(logs).caughtUp()).as("only what the last run left unstored").isEqualTo(2);
            List<EventStore.Event> all = store.all();
            assertThat(all).extracting(EventStore.Event::convId).containsExactly("c1", "c2", "c3", "c4", "c5");
            assertThat(all.get(0).models()).isEqualTo("m");
            assertThat(all.get(0).userHash()).isEqualTo("u");
        }
        try (EventStore store = EventStore.open(null, null, null, dir)) {
            assertThat(store.follow(logs).caughtUp()).isZero();
            assertThat(store.count(null)).isEqualTo(5);
        }
    }

    @Test
    void linesTheQueueNeverTookAreReadBackFromTheLog() throws Exception {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        try (EventStore store = EventStore.open(null, null, null, dir)) {
            store.follow(logs);
            List<LoggedLine> lines = write(logs, chat(1), chat(2), chat(3), chat(4), chat(5));
            store.offer(lines.subList(3, 5)); // the first three were dropped on the way (a full queue)
            store.flush();
            assertThat(store.all()).extracting(EventStore.Event::convId).containsExactly("c1", "c2", "c3", "c4", "c5");
            store.offer(lines.subList(0, 2)); // handed twice: stored once
            assertThat(store.count(null)).isEqualTo(5);
        }
    }

    @Test
    void aBattleVoteIsStoredWithBothConversationsAndHiddenNames() throws Exception {
        Path logs = dir.resolve("logs");
        write(logs, "{\"tstamp\":5.0,\"type\":\"leftvote\",\"models\":[\"\",\"\"],\"states\":[{\"conv_id\":\"a\",\"model_name\":\"x\"},"
                + "{\"conv_id\":\"b\",\"model_name\":\"y\"}],\"ip\":\"k\"}");
        try (EventStore store = EventStore.open(null, null, null, dir)) {
            store.follow(logs);
            EventStore.Event e = store.all().get(0);
            assertThat(e.type()).isEqualTo("leftvote");
            assertThat(e.convId()).isEqualTo("a,b");
            assertThat(e.models()).isEqualTo("x,y");
        }
    }
}
