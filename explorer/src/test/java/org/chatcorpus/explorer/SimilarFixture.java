package org.chatcorpus.explorer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.embed.MiniLmEmbedder;
import org.chatcorpus.embed.PromptEmbedder;
import org.chatcorpus.report.Report;
import org.chatcorpus.report.TopicAssignments;

/**
 * A generated release with a real report of it (3 topics, int8 MiniLM embeddings, as `chatcorpus
 * report --topics 3` makes them), its explorer index, and the conversations' prompt vectors
 * computed here in float, independently of the report's file, for checking similarities.
 */
final class SimilarFixture {
    final Path release;
    final Path report;
    final ExplorerIndex index;
    /** Per embedded conversation: the mean of its sampled prompts' float embeddings (not normalised). */
    final TreeMap<String, float[]> floatVectors = new TreeMap<>();
    final Map<String, Conversation> conversations = new HashMap<>();

    SimilarFixture(Path dir, int n, long seed) throws IOException {
        release = ExploreFixtures.release(dir.resolve("release"), n, seed);
        report = dir.resolve("report");
        List<String> inputs = List.of(release.toString());
        PromptEmbedder embedder = MiniLmEmbedder.named("minilm-q");
        Report.generate(new DatasetReader(inputs, null), inputs, null, Quarantine.counting(), new Report.Options(3, 100_000, 42, null, null, null),
                embedder, report, false);
        index = ExplorerIndex.openOrBuild(inputs, null, topics(), dir.resolve("index"), Progress.silent("t"), quiet());
        new DatasetReader(inputs, null).readAll(Quarantine.counting()).forEach(c -> conversations.put(c.conversationId(), c));
        for (TopicAssignments.Row r : TopicAssignments.read(topics())) {
            String text = conversations.get(r.conversationId()).conversation().get(r.messageIndex()).content();
            float[] e = embedder.embed(List.of(text), Progress.silent("t"))[0];
            float[] sum = floatVectors.computeIfAbsent(r.conversationId(), k -> new float[e.length]);
            for (int j = 0; j < e.length; j++) {
                sum[j] += e[j];
            }
        }
    }

    /** Another handle on the same index (an app closes its index when it stops). */
    ExplorerIndex reopen() throws IOException {
        return ExplorerIndex.openOrBuild(List.of(release.toString()), null, topics(), index.dir(), Progress.silent("t"), quiet());
    }

    Path topics() {
        return report.resolve("topics.parquet");
    }

    ExplorerApp start() throws IOException {
        return ExplorerApp.start(index, "127.0.0.1", 0, ExplorerApp.Options.defaults(),
                ExplorerApp.ReleaseInfo.load(List.of(release.toString()), topics(), index, quiet()));
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    /** Cosine similarity of two embedded conversations, in double from the float vectors. */
    double cosine(String a, String b) {
        float[] x = floatVectors.get(a);
        float[] y = floatVectors.get(b);
        double d = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            d += (double) x[i] * y[i];
            nx += (double) x[i] * x[i];
            ny += (double) y[i] * y[i];
        }
        return d / Math.sqrt(nx * ny);
    }

    /** The best cosine of any other embedded conversation to this one. */
    double bestCosine(String id) {
        double best = -2;
        for (String other : floatVectors.keySet()) {
            if (!other.equals(id)) {
                best = Math.max(best, cosine(id, other));
            }
        }
        return best;
    }
}
