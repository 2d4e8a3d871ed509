package org.chatcorpus.bench.curate;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.pipeline.DatasetStage;
import org.chatcorpus.pipeline.StageCounts;
import org.chatcorpus.pipeline.stages.SampleStage;

/**
 * The cost of {@code --sample N} in CPython's order (the chosen conversations go through a
 * temporary file to come out shuffled), as thread CPU time, so that a loaded machine does not
 * blur it: the sample stage taking every conversation vs the same stage's pass without a sample
 * (peer: the same passes, in input order), over the same in-memory generated conversations
 * without moderation tags (in the lmsys-chat-1m profile moderation comes after the sample).
 * Usage: SampleOrderBench [CONVERSATIONS]
 */
public final class SampleOrderBench {
    private SampleOrderBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        SyntheticCorpus corpus = new SyntheticCorpus(11);
        List<Conversation> in = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            in.add(corpus.conversation(i).withModeration(List.of()));
        }
        for (int round = 0; round < 3; round++) {
            double pass = cpuSeconds(new SampleStage(0, 42), in);
            double sample = cpuSeconds(new SampleStage(n, 42), in);
            System.out.printf(Locale.ROOT, "round %d: %,d conversations: in-order pass %.2f s CPU, CPython-order sample %.2f s CPU "
                    + "(%.1f µs per sampled conversation, %,.0f conv/s)%n", round, n, pass, sample, (sample - pass) * 1e6 / n, n / sample);
        }
    }

    private static double cpuSeconds(DatasetStage stage, List<Conversation> in) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long start = mx.getCurrentThreadCpuTime();
        long[] out = {0};
        stage.run(() -> DatasetStage.Pass.over(in), new DatasetStage.Outcomes() {
            @Override
            public void keep(Conversation c) {
                out[0]++;
            }

            @Override
            public void change(Conversation c) {
                out[0]++;
            }

            @Override
            public void drop(Conversation c, String reason) {
            }
        });
        if (out[0] != in.size()) {
            throw new IllegalStateException("expected " + in.size() + " conversations out, got " + out[0]);
        }
        return (mx.getCurrentThreadCpuTime() - start) / 1e9;
    }
}
