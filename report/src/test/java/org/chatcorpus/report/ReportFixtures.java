package org.chatcorpus.report;

import org.chatcorpus.embed.PromptEmbedder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.generate.ReleaseWriter;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.progress.Progress;

/** Test data: synthetic releases, JSONL with timestamps, hostile prompts, and a fast fake embedder. */
final class ReportFixtures {
    static final String SCRIPT = "<script>window.pwned=1</script>";
    static final String IMG = "<img src=x onerror=\"window.pwned=2\">";

    private ReportFixtures() {
    }

    /** A synthetic LMSYS-shaped Parquet release of {@code n} conversations (small shards, so several files). */
    static Path release(Path dir, long n, long seed) throws IOException {
        SyntheticCorpus corpus = new SyntheticCorpus(seed);
        try (ReleaseWriter w = new ReleaseWriter(dir, "test", "test", 256 << 10)) {
            for (long i = 0; i < n; i++) {
                w.write(corpus.conversation(i));
            }
        }
        return dir;
    }

    /** Synthetic conversations as LMSYS JSONL with user ids and timestamps over {@code days} days. */
    static Path jsonlWithTimestamps(Path file, long n, long seed, int days) throws IOException {
        SyntheticCorpus corpus = new SyntheticCorpus(seed);
        double start = 1_690_000_000; // 2023-07-22 04:26:40 UTC
        try (JsonlConversationWriter w = JsonlConversationWriter.create(file, true)) {
            for (long i = 0; i < n; i++) {
                w.write(corpus.conversation(i).withCollection("user-" + (i % 97), start + (i % days) * 86_400.0));
            }
        }
        return file;
    }

    /** Conversations whose model names and prompts carry HTML and script payloads. */
    static List<Conversation> hostile(int n) {
        List<Conversation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String prompt = (i % 2 == 0 ? SCRIPT : IMG) + " please explain how to bake bread number " + i
                    + " & tell me about </section></div> \"quotes\" and 'apostrophes'";
            List<Message> msgs = List.of(Message.user(prompt), Message.assistant("Sure: " + SCRIPT));
            Moderation flagged = new Moderation(new boolean[] {true, false, false, false, false, false, false, false, false, false, false},
                    new double[11], true);
            out.add(new Conversation("hostile-" + i, i % 3 == 0 ? "<b>evil</b>" + IMG : "vicuna-13b", msgs, 1, "English",
                    List.of(i % 4 == 0 ? flagged : Moderation.clean(), Moderation.clean()), i % 5 == 0, null, null));
        }
        return out;
    }

    static Path hostileJsonl(Path file, int n) throws IOException {
        try (JsonlConversationWriter w = JsonlConversationWriter.create(file, true)) {
            for (Conversation c : hostile(n)) {
                w.write(c);
            }
        }
        return file;
    }

    /** A fast, deterministic stand-in for a sentence model: hashed bag of words, 64 dimensions. */
    static final class HashingEmbedder implements PromptEmbedder {
        int calls;

        @Override
        public String name() {
            return "hashing-64";
        }

        @Override
        public float[][] embed(List<String> texts, Progress progress) {
            calls++;
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                float[] v = new float[64];
                for (String w : Keywords.words(texts.get(i))) {
                    v[Math.floorMod(w.hashCode(), 64)] += 1;
                }
                v[Math.floorMod(texts.get(i).length(), 64)] += 0.01f;
                out[i] = PromptEmbedder.normalise(v);
            }
            progress.advance(texts.size());
            return out;
        }
    }
}
