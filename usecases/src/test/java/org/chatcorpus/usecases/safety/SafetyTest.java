package org.chatcorpus.usecases.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** safety over a seeded release whose counts the test works out from its own plan. */
class SafetyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20240607L;

    private static Moderation tag(boolean flagged, ModerationCategory cat, double score) {
        boolean[] c = new boolean[ModerationCategory.COUNT];
        double[] s = new double[ModerationCategory.COUNT];
        if (flagged) {
            c[cat.ordinal()] = true;
            s[cat.ordinal()] = score;
        }
        return new Moderation(c, s, flagged);
    }

    @Test
    void table4CountsAndTheBenchmarkFileMatchTheRelease(@TempDir Path dir) throws Exception {
        Random rnd = new Random(SEED);
        String[] models = {"vicuna-13b", "llama-2-13b-chat", "alpaca-13b"};
        ModerationCategory[] cats = {ModerationCategory.VIOLENCE, ModerationCategory.SEXUAL, ModerationCategory.HATE};
        TreeMap<String, long[]> expected = new TreeMap<>(); // conversations, attempts, successes
        List<Conversation> all = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String model = models[rnd.nextInt(models.length)];
            int turns = 1 + rnd.nextInt(3);
            List<Message> msgs = new ArrayList<>();
            List<Moderation> tags = new ArrayList<>();
            boolean userFlag = false;
            boolean modelFlag = false;
            for (int t = 0; t < turns; t++) {
                boolean u = rnd.nextInt(5) == 0;
                boolean a = rnd.nextInt(6) == 0;
                ModerationCategory cat = cats[rnd.nextInt(cats.length)];
                msgs.add(Message.user("question " + i + "." + t));
                tags.add(tag(u, cat, 0.5 + rnd.nextInt(50) / 100.0));
                msgs.add(Message.assistant("answer " + i + "." + t));
                tags.add(tag(a, cat, 0.6));
                userFlag |= u;
                modelFlag |= a;
            }
            long[] e = expected.computeIfAbsent(model, m -> new long[3]);
            e[0]++;
            e[1] += userFlag ? 1 : 0;
            e[2] += userFlag && modelFlag ? 1 : 0;
            all.add(new Conversation(String.format("c%04d", i), model, msgs, turns, "English", tags, false, null, null));
        }
        Path release = dir.resolve("release.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(release, false)) {
            for (Conversation c : all) {
                w.write(c);
            }
        }
        JailbreakStats stats = new JailbreakStats(5);
        new DatasetReader(List.of(release.toString()), null).read(stats::add, Quarantine.counting(), true);
        Path out = dir.resolve("safety");
        int written = SafetyReport.write(stats, out);

        JsonNode json = JSON.readTree(out.resolve("safety.json").toFile());
        assertThat(json.get("models").fieldNames()).toIterable().containsExactlyElementsOf(expected.keySet());
        expected.forEach((model, e) -> {
            JsonNode m = json.get("models").get(model);
            assertThat(m.fieldNames()).toIterable().containsExactly("conversations", "attempts", "successes", "success_rate");
            assertThat(m.get("conversations").asLong()).isEqualTo(e[0]);
            assertThat(m.get("attempts").asLong()).isEqualTo(e[1]);
            assertThat(m.get("successes").asLong()).isEqualTo(e[2]);
            assertThat(m.get("success_rate").asDouble()).isEqualTo(Math.round(10000.0 * e[2] / e[1]) / 10000.0);
        });

        assertThat(written).isEqualTo(15);
        List<Conversation> bench = new DatasetReader(List.of(out.resolve("benchmark.jsonl").toString()), null).readAll(Quarantine.counting());
        assertThat(bench).hasSize(15);
        for (Conversation b : bench) {
            Message last = b.conversation().get(b.conversation().size() - 1);
            assertThat(last.isUser()).isTrue();
            assertThat(b.openaiModeration().get(b.openaiModeration().size() - 1).flagged()).isTrue();
        }
        // Per model: best first, ties by conversation_id; and no attempt left out scores higher than the last kept.
        for (String model : models) {
            List<Conversation> mine = bench.stream().filter(c -> c.model().equals(model)).toList();
            double lastScore = Double.MAX_VALUE;
            String lastId = "";
            for (Conversation c : mine) {
                double s = org.chatcorpus.report.JailbreakCounts.maxScore(c.openaiModeration().get(c.openaiModeration().size() - 1));
                assertThat(s < lastScore || s == lastScore && c.conversationId().compareTo(lastId) > 0).isTrue();
                lastScore = s;
                lastId = c.conversationId();
            }
            double floor = lastScore;
            long better = all.stream().filter(c -> c.model().equals(model)).filter(c -> {
                double best = -1;
                for (int i = 0; i < c.conversation().size(); i++) {
                    if (c.conversation().get(i).isUser() && c.openaiModeration().get(i).flagged()) {
                        best = Math.max(best, org.chatcorpus.report.JailbreakCounts.maxScore(c.openaiModeration().get(i)));
                    }
                }
                return best > floor;
            }).count();
            assertThat(better).isLessThanOrEqualTo(5);
        }
        assertThat(Files.readString(out.resolve("index.html"))).contains("vicuna-13b").contains("success rate");
    }

    @Test
    void sameReleaseSameBytes(@TempDir Path dir) throws Exception {
        Path release = dir.resolve("r.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(release, false)) {
            for (int i = 0; i < 40; i++) {
                w.write(new Conversation("id" + (i % 7) + "-" + i, "m" + (i % 2), List.of(Message.user("u" + i), Message.assistant("a")), 1,
                        "English", List.of(tag(true, ModerationCategory.HATE, 0.9), tag(i % 3 == 0, ModerationCategory.HATE, 0.9)), false,
                        null, null));
            }
        }
        byte[][] runs = new byte[2][];
        for (int k = 0; k < 2; k++) {
            JailbreakStats stats = new JailbreakStats(4);
            new DatasetReader(List.of(release.toString()), null).read(stats::add, Quarantine.counting(), true);
            SafetyReport.write(stats, dir.resolve("o" + k));
            runs[k] = Files.readAllBytes(dir.resolve("o" + k).resolve("benchmark.jsonl"));
        }
        assertThat(runs[0]).isEqualTo(runs[1]);
        // All scores tie at 0.9: the four smallest conversation ids of each model are kept (as strings: "id1-22" < "id1-8").
        List<Conversation> b = new DatasetReader(List.of(dir.resolve("o0").resolve("benchmark.jsonl").toString()), null)
                .readAll(Quarantine.counting());
        assertThat(b.stream().filter(c -> c.model().equals("m0")).map(Conversation::conversationId))
                .containsExactly("id0-0", "id0-14", "id0-28", "id1-22");
    }
}
