package org.chatcorpus.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.pipeline.StageCounts;
import org.junit.jupiter.api.Test;

class SampleStageTest {
    private static List<Conversation> numbered(int n) {
        List<Conversation> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cs.add(new Conversation("c" + i, "m", List.of(Message.user("prompt " + i), Message.assistant("answer")), 1,
                    "English", List.of(), false, "user" + i, 1000.0 + i));
        }
        return cs;
    }

    private static List<String> ids(List<Conversation> cs) {
        return cs.stream().map(Conversation::conversationId).toList();
    }

    @Test
    void takesTheConversationsAndTheOrderCPythonTakes() throws Exception {
        // Expected from CPython 3.11:
        // python3 -c "import random; c=[f'c{i}' for i in range(1000)]; random.seed(42); random.shuffle(c); print(c[:12])"
        StageCounts counts = new StageCounts("sample");
        List<Conversation> out = DatasetStageRun.run(new SampleStage(12, 42), numbered(1000), counts);
        assertThat(ids(out)).containsExactly("c776", "c507", "c895", "c922", "c33", "c483", "c85", "c750", "c354", "c523", "c184", "c809");
        assertThat(counts.dropped()).isEqualTo(Map.of("not_sampled", 988L));
    }

    @Test
    void aSampleLargerThanTheInputStillShufflesAsTheScriptDoes() throws Exception {
        // python3 -c "import random; c=[f'c{i}' for i in range(7)]; random.seed(42); random.shuffle(c); print(c[:10])"
        List<Conversation> out = DatasetStageRun.run(new SampleStage(10, 42), numbered(7), new StageCounts("sample"));
        assertThat(ids(out)).containsExactly("c1", "c3", "c4", "c2", "c6", "c0", "c5");
    }

    @Test
    void everyFieldSurvivesTheTemporaryFile() throws Exception {
        List<Conversation> in = numbered(50);
        List<Conversation> out = DatasetStageRun.run(new SampleStage(50, 42), in, new StageCounts("sample"));
        assertThat(out).containsExactlyInAnyOrderElementsOf(in);
    }

    @Test
    void withoutASizeEverythingIsKeptInInputOrder() throws Exception {
        List<Conversation> out = DatasetStageRun.run(new SampleStage(0, 42), numbered(20), new StageCounts("sample"));
        assertThat(ids(out)).isEqualTo(ids(numbered(20)));
    }
}
