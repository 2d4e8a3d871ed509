package org.chatcorpus.pipeline.stages;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.chatcorpus.core.io.RecordException;
import org.chatcorpus.core.io.json.ReleaseRecordJson;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.random.PythonRandom;
import org.chatcorpus.pipeline.DatasetStage;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * A seeded sample of {@code n} conversations, exactly as lmsys_chat_1m/filter_bad_conv.py takes it:
 * {@code random.seed(seed); random.shuffle(convs); convs = convs[:n]} in CPython
 * ({@link PythonRandom}), so the same input order gives the same conversations in the same order.
 * As in the script, the output is in shuffled order, and a sample at least as large as the input
 * keeps everything but still shuffles it. {@code n <= 0} (the script without {@code --sample})
 * keeps everything in input order.
 *
 * <p>Memory holds the permutation (4 bytes per input conversation) and one file offset per chosen
 * conversation: the chosen ones are written to a temporary file in input order, then read back in
 * shuffled order.
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
        m.put("order", "CPython random.seed(seed); random.shuffle(convs); convs[:n]");
        return m;
    }

    /** Without a sample size every conversation is kept in order: no whole-dataset pass is needed. */
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
        if (n <= 0) {
            try (Pass p = input.get()) {
                for (Conversation c; (c = p.next()) != null; ) {
                    outcomes.keep(c);
                }
            }
            return;
        }
        int total = 0;
        try (Pass p = input.get()) {
            while (p.next() != null) {
                total++;
            }
        }
        int[] order = PythonRandom.shuffledIndices(seed, total);
        int take = (int) Math.min(n, total);
        // rank[i] = output position of input conversation i, or -1 when it is not sampled.
        int[] rank = new int[total];
        Arrays.fill(rank, -1);
        for (int k = 0; k < take; k++) {
            rank[order[k]] = k;
        }
        long[] offset = new long[take + 1];
        int[] slotOf = new int[take]; // output position -> slot in the temporary file
        Path tmp = Files.createTempFile("chatcorpus-sample-", ".jsonl");
        try {
            ObjectMapper json = new ObjectMapper();
            JsonFactory factory = json.getFactory();
            long written = 0;
            int slot = 0;
            try (Pass p = input.get(); OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                ByteArrayOutputStream record = new ByteArrayOutputStream();
                int i = 0;
                for (Conversation c; (c = p.next()) != null; i++) {
                    if (rank[i] < 0) {
                        outcomes.drop(c, "not_sampled");
                        continue;
                    }
                    record.reset();
                    try (JsonGenerator g = factory.createGenerator(record)) {
                        ReleaseRecordJson.write(c, g, true);
                    }
                    record.writeTo(out);
                    offset[slot] = written;
                    written += record.size();
                    slotOf[rank[i]] = slot++;
                }
                offset[slot] = written;
            }
            try (RandomAccessFile in = new RandomAccessFile(tmp.toFile(), "r")) {
                for (int k = 0; k < take; k++) {
                    int s = slotOf[k];
                    byte[] bytes = new byte[(int) (offset[s + 1] - offset[s])];
                    in.seek(offset[s]);
                    in.readFully(bytes);
                    Conversation c;
                    try {
                        c = ReleaseRecordJson.parse(json.readTree(bytes));
                    } catch (RecordException e) {
                        throw new IOException("sample: cannot read back its own temporary record " + tmp + ": " + e.getMessage(), e);
                    }
                    outcomes.keep(c);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
