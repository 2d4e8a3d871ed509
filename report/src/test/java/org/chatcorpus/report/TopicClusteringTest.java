package org.chatcorpus.report;

import org.chatcorpus.embed.MiniLmEmbedder;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.testing.SharedData;
import org.chatcorpus.report.PromptSampler.Prompt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic clustering on real prompts (MT-bench and HH-RLHF) with the real all-MiniLM-L6-v2 model. */
class TopicClusteringTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final Map<String, String> MT_CATEGORY = new HashMap<>();
    private static List<Conversation> conversations;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        conversations = new ArrayList<>();
        for (String line : Files.readAllLines(SharedData.file("mt-bench-questions.jsonl"))) {
            JsonNode q = M.readTree(line);
            String id = "mt-" + q.get("question_id").asText();
            MT_CATEGORY.put(id, q.get("category").asText());
            conversations.add(new Conversation(id, "gpt-4", List.of(Message.user(q.get("turns").get(0).asText()), Message.assistant("ok")),
                    1, "English", List.of(), false, null, null));
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz"))), StandardCharsets.UTF_8))) {
            String line;
            int i = 0;
            while ((line = r.readLine()) != null && i < 320) {
                String chosen = M.readTree(line).get("chosen").asText();
                int h = chosen.indexOf("Human: ");
                int a = chosen.indexOf("\n\nAssistant:", h);
                if (h < 0 || a < 0) {
                    continue;
                }
                conversations.add(new Conversation("hh-" + i++, "claude-1",
                        List.of(Message.user(chosen.substring(h + 7, a).strip()), Message.assistant("...")), 1, "English", List.of(), false,
                        null, null));
            }
        }
    }

    private static List<Prompt> sample(int size, long seed) {
        PromptSampler s = new PromptSampler(size, seed);
        conversations.forEach(s::add);
        return s.sample();
    }

    /** The int8 model the report uses by default embeds real prompts almost exactly as the full model does. */
    @Test
    void quantizedEmbeddingsAgreeWithTheFullModel() {
        List<String> texts = sample(1000, 3).stream().limit(40).map(Prompt::text).toList();
        float[][] full = new MiniLmEmbedder(2, false).embed(texts, Progress.silent("f"));
        float[][] q = MiniLmEmbedder.named("minilm-q").embed(texts, Progress.silent("q"));
        assertThat(MiniLmEmbedder.named("minilm-q").name()).isEqualTo(MiniLmEmbedder.NAME_QUANTIZED);
        double worst = 1;
        for (int i = 0; i < texts.size(); i++) {
            double dot = 0;
            for (int d = 0; d < full[i].length; d++) {
                dot += full[i][d] * q[i][d]; // both L2-normalised
            }
            worst = Math.min(worst, dot);
        }
        System.out.printf("int8 vs full MiniLM: worst cosine %.4f over %d real prompts%n", worst, texts.size());
        assertThat(worst).isGreaterThan(0.95);
    }

    @Test
    void realPromptsClusterDeterministicallyIntoMeaningfulTopics() throws Exception {
        List<Prompt> prompts = sample(1000, 42);
        assertThat(prompts.size()).isBetween(250, 400);
        MiniLmEmbedder embedder = new MiniLmEmbedder();
        Path cache = tmp.resolve("embeddings.bin");
        TopicClustering.Result a = TopicClustering.run(prompts, 5, 7, embedder, cache, Progress.silent("t"));
        assertThat(a.cached()).isFalse();
        TopicClustering.Result b = TopicClustering.run(prompts, 5, 7, embedder, null, Progress.silent("t"));
        assertThat(b.assignments()).isEqualTo(a.assignments());
        // The cache gives the same vectors, so the same clusters; another k reuses it.
        TopicClustering.Result c = TopicClustering.run(prompts, 5, 7, embedder, cache, Progress.silent("t"));
        assertThat(c.cached()).isTrue();
        assertThat(c.assignments()).isEqualTo(a.assignments());
        assertThat(TopicClustering.run(prompts, 3, 7, embedder, cache, Progress.silent("t")).cached()).isTrue();

        List<TopicClustering.Topic> topics = a.topics();
        assertThat(topics).hasSize(5);
        for (int i = 0; i < topics.size(); i++) {
            assertThat(topics.get(i).id()).isEqualTo(i);
            assertThat(topics.get(i).keywords()).isNotEmpty();
            assertThat(topics.get(i).examples()).hasSize(5);
            if (i > 0) {
                assertThat(topics.get(i).size()).isLessThanOrEqualTo(topics.get(i - 1).size());
            }
        }
        assertThat(topics.stream().mapToInt(TopicClustering.Topic::size).sum()).isEqualTo(prompts.size());
        // MT-bench's coding and math questions are unlike HH-RLHF's red-teaming chat: most of them
        // land together, in a cluster made mostly of MT-bench questions with technical keywords.
        Map<Integer, Integer> technical = new HashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            String cat = MT_CATEGORY.get(prompts.get(i).conversationId());
            if ("coding".equals(cat) || "math".equals(cat)) {
                technical.merge(a.assignments()[i], 1, Integer::sum);
            }
        }
        int best = technical.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(technical.get(best)).as("coding/math questions in one cluster, of 20").isGreaterThanOrEqualTo(14);
        long mtInBest = 0;
        for (int i = 0; i < prompts.size(); i++) {
            if (a.assignments()[i] == best && prompts.get(i).conversationId().startsWith("mt-")) {
                mtInBest++;
            }
        }
        assertThat(mtInBest).isGreaterThan(topics.get(best).size() / 2);
        assertThat(topics.get(best).keywords()).containsAnyOf("function", "program", "python", "code", "implement", "find", "array",
                "number", "numbers", "integer", "value", "area", "probability", "solve", "equation", "x");
        assertThat(a.silhouette()).isBetween(0.0, 1.0);
        // Another seed of the sample gives another sample; the same seed the same.
        assertThat(sample(1000, 42)).isEqualTo(prompts);
        assertThat(sample(100, 1).stream().map(Prompt::conversationId).toList())
                .isNotEqualTo(sample(100, 2).stream().map(Prompt::conversationId).toList());
    }

    @Test
    void samplerFollowsFastChatsRules() {
        PromptSampler s = new PromptSampler(10, 3);
        String ok = "How do I write a quicksort in Python, step by step?";
        s.add(new Conversation("a", "m", List.of(Message.user(ok), Message.assistant("x"), Message.user("too short"),
                Message.assistant("y")), 2, "English", List.of(), false, null, null));
        s.add(new Conversation("b", "m", List.of(Message.user("python quicksort in a How do I write, step by step??!")), 0, "English",
                List.of(), false, null, null)); // same word set: a duplicate
        s.add(new Conversation("c", "m", List.of(Message.user(ok + " In German please.")), 0, "German", List.of(), false, null, null));
        s.add(new Conversation("d", "m", List.of(Message.user("x".repeat(1537))), 0, "English", List.of(), false, null, null));
        s.add(new Conversation("e", "m", List.of(Message.assistant("An assistant message that is long enough to count.")), 0,
                "English", List.of(), false, null, null));
        assertThat(s.candidates()).isEqualTo(2);
        assertThat(s.sample()).hasSize(1);
        assertThat(PromptSampler.dedupKey("Hello, hello WORLD!")).isEqualTo("hello world");
    }
}
