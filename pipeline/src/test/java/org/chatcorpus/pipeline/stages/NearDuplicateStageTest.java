package org.chatcorpus.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.testing.SharedData;
import org.chatcorpus.pipeline.LocalRunner;
import org.chatcorpus.pipeline.PipelineConfig;
import org.chatcorpus.pipeline.StageCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MinHash LSH near-duplicates on real MT-bench prompts: each prompt, a lightly edited copy (case,
 * punctuation, one word changed) and an unrelated prompt. Copies must join their original's
 * cluster; distinct MT-bench questions must not be merged.
 */
class NearDuplicateStageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private List<String> mtBenchPrompts() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(SharedData.file("mt-bench-questions.jsonl"))) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line).path("turns").get(0).asText());
            }
        }
        return out;
    }

    /** Upper-cases the text, drops the final punctuation and replaces one word in the middle: a near-copy. */
    private static String edit(String s) {
        String[] w = s.split(" ");
        if (w.length > 6) {
            w[w.length / 2] = "really";
        }
        return String.join(" ", w).toUpperCase().replaceAll("[.?!]$", "");
    }

    private Path input(List<String> prompts) throws Exception {
        Path in = dir.resolve("in.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(in, false)) {
            int id = 0;
            for (String p : prompts) {
                w.write(Conversation.of("c" + id++, "m", List.of(Message.user(p), Message.assistant("ok"))));
            }
            for (String p : prompts) {
                w.write(Conversation.of("c" + id++, "m", List.of(Message.user(edit(p)), Message.assistant("fine"))));
            }
        }
        return in;
    }

    private static PipelineConfig pipeline(String action) {
        return new PipelineConfig(1, List.of(new PipelineConfig.StageSpec("validate", Map.of()),
                new PipelineConfig.StageSpec("near_dup", Map.of("action", action, "threshold", 0.5))));
    }

    @Test
    void taggedCopiesJoinTheirOriginalsAndDistinctPromptsStayApart() throws Exception {
        List<String> prompts = mtBenchPrompts().stream().filter(p -> p.split(" ").length >= 12).toList();
        assertThat(prompts).hasSizeGreaterThan(40);
        Path out = dir.resolve("tagged");
        LocalRunner.Result r = new LocalRunner(pipeline("tag"), 1 << 20).run(List.of(input(prompts).toString()), null, out);
        int n = prompts.size();
        assertThat(r.output().numExamples()).isEqualTo(2L * n); // tag keeps everything
        Map<String, String> clusterOf = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("near_duplicates.jsonl"))) {
            JsonNode row = JSON.readTree(line);
            clusterOf.put(row.get("conversation_id").asText(), row.get("cluster").asText());
        }
        int joined = 0;
        for (int i = 0; i < n; i++) {
            if (("c" + i).equals(clusterOf.get("c" + (n + i)))) {
                joined++;
            }
        }
        // Originals are never merged with each other: every cluster has one original.
        long originalsTagged = clusterOf.entrySet().stream().filter(e -> Integer.parseInt(e.getKey().substring(1)) < n).count();
        long clusters = clusterOf.values().stream().distinct().count();
        assertThat(originalsTagged).isEqualTo(clusters);
        assertThat(joined / (double) n).as("edited copies found").isGreaterThan(0.8);
        StageCounts counts = r.counts().stream().filter(c -> c.stage().equals("near_dup")).findFirst().orElseThrow();
        assertThat(counts.changed()).isEqualTo(joined);
        System.out.printf("near_dup: %d of %d edited copies joined their original; %d clusters%n", joined, n, clusters);
    }

    @Test
    void dropKeepsOnlyTheFirstOfEachCluster() throws Exception {
        List<String> prompts = mtBenchPrompts().stream().filter(p -> p.split(" ").length >= 12).toList();
        LocalRunner.Result r = new LocalRunner(pipeline("drop"), 1 << 20).run(List.of(input(prompts).toString()), null, dir.resolve("dropped"));
        StageCounts counts = r.counts().stream().filter(c -> c.stage().equals("near_dup")).findFirst().orElseThrow();
        assertThat(counts.dropped()).containsKey("near_duplicate");
        assertThat(r.output().numExamples()).isEqualTo(2L * prompts.size() - counts.droppedTotal());
        assertThat(dir.resolve("dropped/near_duplicates.jsonl")).doesNotExist();
    }

    @Test
    void wordsAreCaseFoldedAndCjkCharactersAreWords() {
        assertThat(MinHash.words("Hello, WORLD!")).containsExactly(MinHash.words("hello world"));
        assertThat(MinHash.words("你好世界")).hasSize(4);
        assertThat(MinHash.words("")).isEmpty();
        MinHash minHash = new MinHash(1);
        int[] a = new int[64 * 2];
        minHash.signature("the quick brown fox jumps over the lazy dog", a, 0);
        minHash.signature("The quick brown fox jumps over the lazy dog!", a, 64);
        assertThat(MinHash.similarity(a, 0, a, 1)).isEqualTo(1.0);
        int[] other = minHash.signature("an entirely different sentence about the weather in Paris today");
        assertThat(MinHash.similarity(a, 0, other, 0)).isLessThan(0.2);
    }
}
