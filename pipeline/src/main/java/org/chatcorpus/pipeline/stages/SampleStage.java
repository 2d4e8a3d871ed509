package org.chatcorpus.pipeline.stages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.pipeline.DatasetStage;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * A seeded random sample of {@code n} conversations, as FastChat's sample.py (shuffle with a seed,
 * take the first n). To stream, the chosen conversations are written in their input order rather
 * than in shuffled order; the chosen set is the same. {@code n <= 0} keeps everything.
 */
public record SampleStage(long n, long seed) implements DatasetStage {
    @Override
    public String name() {
        return "sample";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("seed", seed);
        return m;
    }

    /** Without a sample size every conversation is kept: no whole-dataset pass is needed. */
    @Override
    public org.chatcorpus.pipeline.Stage asPerConversation() {
        return n > 0 ? null : new KeepAll(name(), config());
    }

    /** Keeps every conversation, under the name and configuration of the stage it stands for. */
    record KeepAll(String name, Map<String, Object> config) implements org.chatcorpus.pipeline.Stage {
        @Override
        public StageOutcome process(Conversation conversation) {
            return StageOutcome.keep(conversation);
        }
    }

    @Override
    public void run(Supplier<Pass> input, Outcomes outcomes) throws IOException {
        long total = 0;
        if (n > 0) {
            try (Pass p = input.get()) {
                while (p.next() != null) {
                    total++;
                }
            }
        }
        BitSet chosen = new BitSet();
        if (n > 0 && n < total) {
            List<Integer> order = new ArrayList<>((int) total);
            for (int i = 0; i < total; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed));
            for (int i = 0; i < n; i++) {
                chosen.set(order.get(i));
            }
        }
        boolean all = n <= 0 || n >= total;
        try (Pass p = input.get()) {
            Conversation c;
            int i = 0;
            while ((c = p.next()) != null) {
                if (all || chosen.get(i)) {
                    outcomes.keep(c);
                } else {
                    outcomes.drop(c, "not_sampled");
                }
                i++;
            }
        }
    }
}
