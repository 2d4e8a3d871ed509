package org.chatcorpus.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.pipeline.StageCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupStageTest {
    @TempDir
    Path dir;

    /** 200 unique prompts, then 50 conversations asking "hi", then a second state of u0. */
    private static List<Conversation> input() {
        List<Conversation> cs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            cs.add(Conversation.of("u" + i, "m", List.of(Message.user("unique prompt " + i), Message.assistant("a"))));
        }
        for (int i = 0; i < 50; i++) {
            cs.add(Conversation.of("spam" + i, "m", List.of(Message.user("hi"), Message.assistant("hello"))));
        }
        cs.add(Conversation.of("u0", "m", List.of(Message.user("unique prompt 0, later state"), Message.assistant("b"))));
        return cs;
    }

    @Test
    void byDefaultOnlyTheLastStateOfEachIdIsKeptAndFrequentPromptsStay() throws Exception {
        StageCounts counts = new StageCounts("dedup");
        List<Conversation> out = DatasetStageRun.run(DedupStage.idOnly(42), input(), counts);
        assertThat(counts.dropped()).isEqualTo(Map.of("duplicate_id", 1L));
        assertThat(out).hasSize(250);
        assertThat(out.get(249).firstPrompt()).isEqualTo("unique prompt 0, later state");
    }

    @Test
    void dropKeepsTheOccurrencePandasSampleWithRandomState42Picks() throws Exception {
        // 201 keys of count 1 and "hi\n" of count 50: the 0.99 quantile is 1.0, so one "hi" stays:
        // python3 -c "import numpy as np; print(np.random.RandomState(42).permutation(50)[:1])"  -> [13]
        StageCounts counts = new StageCounts("dedup");
        List<Conversation> out = DatasetStageRun.run(new DedupStage("drop", 0.99, 42, null), input(), counts);
        assertThat(counts.dropped()).isEqualTo(Map.of("duplicate_id", 1L, "high_frequency_prompt", 49L));
        assertThat(out).filteredOn(c -> c.firstPrompt().equals("hi")).extracting(Conversation::conversationId).containsExactly("spam13");
    }

    @Test
    void tagKeepsEverythingAndWritesEachHighFrequencyConversationsDedupTag() throws Exception {
        Path tags = dir.resolve("dedup_tags.jsonl");
        StageCounts counts = new StageCounts("dedup");
        List<Conversation> out = DatasetStageRun.run(new DedupStage("tag", 0.99, 42, tags.toString()), input(), counts);
        assertThat(out).hasSize(250);
        List<String> lines = Files.readAllLines(tags);
        assertThat(lines).hasSize(50);
        var json = new ObjectMapper();
        assertThat(lines.stream().filter(l -> l.contains("\"sampled\":true")).map(l -> {
            try {
                return json.readTree(l).get("conversation_id").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).containsExactly("spam13");
        assertThat(json.readTree(lines.get(0)).get("dedup_tag").get("high_freq").asBoolean()).isTrue();
    }

    @Test
    void thePromptKeyIsCutAtTenThousandCodePointsAsAPythonSlice() {
        String emoji = "😀".repeat(10_005);
        String key = DedupStage.promptKey(Conversation.of("x", "m", List.of(Message.user(emoji))));
        assertThat(key.codePointCount(0, key.length())).isEqualTo(10_000);
    }
}
