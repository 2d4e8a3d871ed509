package org.chatcorpus.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.chatcorpus.core.io.ConversationVectors;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With topics, the report writes one vector per sampled conversation (conversation-vectors.bin):
 * the mean of its sampled prompts' embeddings, stamped with the model and the release digest, whose
 * int8 cosines and nearest neighbours agree with the float computation done here.
 */
class ConversationVectorsFileTest {
    @TempDir
    Path tmp;

    @Test
    void everySampledConversationHasItsMeanPromptVector() throws Exception {
        Path data = ReportFixtures.release(tmp.resolve("rel"), 600, 8);
        List<String> inputs = List.of(data.toString());
        Path out = tmp.resolve("out");
        ReportFixtures.HashingEmbedder embedder = new ReportFixtures.HashingEmbedder();
        Report.generate(new DatasetReader(inputs, null), inputs, null, Quarantine.counting(), new Report.Options(4, 5000, 42, null, null, null),
                embedder, out, false);
        ConversationVectors v = ConversationVectors.read(out.resolve(ConversationVectors.FILE_NAME));

        // Independently: the sampled prompts from topics.parquet, their texts from the release, embedded here, averaged per conversation.
        Map<String, Conversation> byId = new HashMap<>();
        new DatasetReader(inputs, null).readAll(Quarantine.counting()).forEach(c -> byId.put(c.conversationId(), c));
        TreeMap<String, float[]> want = new TreeMap<>();
        for (TopicAssignments.Row r : TopicAssignments.read(out.resolve("topics.parquet"))) {
            float[] e = embedder.embed(List.of(byId.get(r.conversationId()).conversation().get(r.messageIndex()).content()), Progress.silent("t"))[0];
            float[] sum = want.computeIfAbsent(r.conversationId(), k -> new float[e.length]);
            for (int j = 0; j < e.length; j++) {
                sum[j] += e[j];
            }
        }
        assertThat(want.keySet().stream().anyMatch(id -> want.size() > 100)).isTrue();
        assertThat(v.size()).isEqualTo(want.size());
        assertThat(v.model()).isEqualTo("hashing-64");
        assertThat(v.dimension()).isEqualTo(64);
        List<String> ids = new ArrayList<>(want.keySet());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(v.id(i)).isEqualTo(ids.get(i));
        }
        // Cosines within int8 rounding of the float ones, and the nearest neighbour is one of the float nearest.
        for (int a = 0; a < ids.size(); a += 37) {
            double best = -2;
            for (int b = 0; b < ids.size(); b++) {
                if (b != a) {
                    double f = cosine(want.get(ids.get(a)), want.get(ids.get(b)));
                    best = Math.max(best, f);
                    if (b % 11 == 0) {
                        assertThat(v.similarity(a, b)).as("%s ~ %s", ids.get(a), ids.get(b)).isCloseTo(f, org.assertj.core.data.Offset.offset(0.02));
                    }
                }
            }
            List<ConversationVectors.Neighbour> nn = v.nearest(a, 5);
            assertThat(nn).hasSize(5);
            assertThat(nn).extracting(ConversationVectors.Neighbour::id).doesNotContain(ids.get(a)).doesNotHaveDuplicates();
            assertThat(cosine(want.get(ids.get(a)), want.get(nn.get(0).id()))).isCloseTo(best, org.assertj.core.data.Offset.offset(0.02));
            for (int i = 1; i < nn.size(); i++) {
                assertThat(nn.get(i).similarity()).isLessThanOrEqualTo(nn.get(i - 1).similarity());
            }
        }
        // Stamped with the release: report.json says the same digest, and the same report writes the same bytes.
        String digest = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("topic_clustering").get("conversation_vectors")
                .get("release_digest").asText();
        assertThat(v.releaseDigest()).isEqualTo(digest).startsWith("v1:600:");
        byte[] first = Files.readAllBytes(out.resolve(ConversationVectors.FILE_NAME));
        Report.generate(new DatasetReader(inputs, null), inputs, null, Quarantine.counting(), new Report.Options(4, 5000, 42, null, null, null),
                embedder, out, false);
        assertThat(Files.readAllBytes(out.resolve(ConversationVectors.FILE_NAME))).isEqualTo(first);
    }

    @Test
    void aFileThatIsNotVectorsOrIsCutShortIsRefusedWithItsName() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.bin"), "hello");
        assertThatThrownBy(() -> ConversationVectors.read(junk)).isInstanceOf(IOException.class).hasMessageContaining("junk.bin")
                .hasMessageContaining("not a conversation vectors file");
        TreeMap<String, float[]> m = new TreeMap<>(Map.of("a", new float[] {1, 0}, "b", new float[] {0.6f, 0.8f}));
        Path ok = tmp.resolve("v.bin");
        ConversationVectors.write(ok, "m", "v1:2:00", m);
        byte[] all = Files.readAllBytes(ok);
        Path cut = Files.write(tmp.resolve("cut.bin"), java.util.Arrays.copyOf(all, all.length - 1));
        assertThatThrownBy(() -> ConversationVectors.read(cut)).isInstanceOf(IOException.class).hasMessageContaining("cut short");
        assertThat(ConversationVectors.read(ok).similarity(0, 1)).isCloseTo(0.6, org.assertj.core.data.Offset.offset(0.01));
    }

    private static double cosine(float[] a, float[] b) {
        double d = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return d / Math.sqrt(na * nb);
    }
}
