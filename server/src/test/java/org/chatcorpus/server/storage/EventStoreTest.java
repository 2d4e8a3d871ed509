package org.chatcorpus.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store keeps every event, in order per writer, however events and flushes interleave. */
class EventStoreTest {
    @TempDir
    Path dir;

    @Test
    void concurrentAppendsAndFlushesLoseNothing() throws Exception {
        try (EventStore store = EventStore.open(null, null, null, dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int writer = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 2_500; i++) {
                        store.append(new EventStore.Event(writer * 10_000 + i, i % 7 == 0 ? "upvote" : "chat", "c" + writer, "m", "u", "{\"i\":" + i + "}"));
                        if (i % 500 == 0) {
                            store.flush(); // a flush in the middle of a stream of events
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(store.count(null)).isEqualTo(10_000);
            List<EventStore.Event> all = store.all();
            for (int t = 0; t < 4; t++) {
                int writer = t;
                List<Double> mine = all.stream().filter(e -> e.convId().equals("c" + writer)).map(EventStore.Event::tstamp).toList();
                assertThat(mine).hasSize(2_500).isSorted();
            }
            assertThat(store.count("upvote")).isEqualTo(4 * ((2_500 + 6) / 7));
        }
    }

    @Test
    void aFlushOnAnIdleStoreReturnsAndEventsSurviveReopening() throws Exception {
        try (EventStore store = EventStore.open(null, null, null, dir)) {
            store.flush();
            store.append(new EventStore.Event(1, "chat", "c", "m", "u", "{}"));
        }
        try (EventStore again = EventStore.open(null, null, null, dir)) {
            assertThat(again.count("chat")).isEqualTo(1);
        }
    }
}
