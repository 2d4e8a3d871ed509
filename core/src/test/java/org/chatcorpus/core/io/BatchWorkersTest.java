package org.chatcorpus.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every conversation reaches exactly one worker; a failing worker fails the run without hanging the readers. */
class BatchWorkersTest {
    @TempDir
    Path dir;

    private DatasetReader input(int n) throws Exception {
        Path f = dir.resolve("in.jsonl");
        SyntheticCorpus corpus = new SyntheticCorpus(9);
        try (JsonlConversationWriter w = JsonlConversationWriter.create(f, false)) {
            for (int i = 0; i < n; i++) {
                w.write(corpus.conversation(i));
            }
        }
        return new DatasetReader(List.of(f.toString()), null);
    }

    @Test
    void everyConversationIsSeenOnceAcrossWorkers() throws Exception {
        List<long[]> states = BatchWorkers.run(input(5000), Quarantine.counting(), Progress.silent("t"), "t", () -> new long[1],
                (count, c) -> count[0]++);
        assertThat(states).hasSize(Math.max(1, Runtime.getRuntime().availableProcessors()));
        assertThat(states.stream().mapToLong(s -> s[0]).sum()).isEqualTo(5000);
    }

    @Test
    void aWorkerFailureIsRethrownAfterReadingStops() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        DatasetReader in = input(20_000);
        assertThatThrownBy(() -> BatchWorkers.run(in, Quarantine.counting(), Progress.silent("t"), "t", () -> null, (s, c) -> {
            if (seen.incrementAndGet() == 700) {
                throw new IllegalStateException("boom at 700");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom at 700");
    }
}
