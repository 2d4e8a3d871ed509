package org.chatcorpus.preference;

import org.chatcorpus.core.text.PromptKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairMinerTest {

    @Test
    void promptKeyFoldsWidthCaseAndWhitespace() {
        assertThat(PromptKey.normalize("  Ｗｈａｔ\u00A0is\n\tLOVE?  ")).isEqualTo("what is love?");
        assertThat(PromptKey.normalize("ﬁne")).isEqualTo("fine");
    }

    @Test
    void pairsSamePromptsOfDifferentModelsUpToTheLimitDeterministically(@TempDir Path dir) throws Exception {
        Path release = dir.resolve("release.jsonl");
        try (var w = JsonlConversationWriter.create(release, false)) {
            w.write(conv("c1", "vicuna-13b", "What is love?", "Baby don't hurt me"));
            w.write(conv("c2", "koala-13b", "  what IS   love? ", "A feeling."));
            w.write(conv("c3", "vicuna-13b", "Ｗｈａｔ is love?", "Same model again"));
            w.write(conv("c4", "alpaca-13b", "what is love?", "Chemistry."));
            w.write(conv("c5", "dolly-v2-12b", "WHAT IS LOVE?", "No idea."));
            w.write(conv("c6", "llama-13b", "A prompt nobody else asked", "Alone."));
            w.write(conv("c7", "llama-13b", "Tell me a joke", "Knock knock"));
            w.write(conv("c8", "llama-13b", "tell me a joke", "Same model: no pair"));
            w.write(Conversation.of("c9", "gpt-4", List.of(Message.user("Count"), Message.assistant("1"), Message.user("more"),
                    Message.assistant("2"))));
            w.write(Conversation.of("c10", "claude-1", List.of(Message.user("count"), Message.assistant("one"), Message.user("in French"),
                    Message.assistant("un"))));
            w.write(Conversation.of("c11", "claude-2", List.of(Message.user("tell me a joke"))));
        }
        DatasetReader in = new DatasetReader(List.of(release.toString()), null);
        PairMiner.Result r = new PairMiner(3).mine(in, Quarantine.counting());
        PairMiner.Result again = new PairMiner(3).mine(in, Quarantine.counting());
        assertThat(again.pairs()).isEqualTo(r.pairs());
        assertThat(r.conversations()).isEqualTo(11);
        assertThat(r.withoutPrompt()).isEqualTo(1); // c11 has no answer
        List<Battle> love = r.pairs().stream().filter(b -> PromptKey.normalize(b.firstPrompt()).equals("what is love?")).toList();
        assertThat(love).hasSize(3);
        assertThat(love).allSatisfy(b -> {
            assertThat(b.modelA()).isNotEqualTo(b.modelB());
            assertThat(b.labeled()).isFalse();
        });
        assertThat(love.stream().map(b -> b.modelA().compareTo(b.modelB()) < 0 ? b.modelA() + b.modelB() : b.modelB() + b.modelA()).distinct())
                .hasSize(3);
        assertThat(r.pairs().stream().filter(b -> b.firstPrompt().toLowerCase().contains("joke"))).isEmpty();
        Battle count = r.pairs().stream().filter(b -> PromptKey.normalize(b.firstPrompt()).equals("count")).findFirst().orElseThrow();
        // later turns differ: both sides cut to the first exchange
        assertThat(count.conversationA()).hasSize(2);
        assertThat(count.conversationB()).hasSize(2);
        assertThat(count.turn()).isEqualTo(1);
        assertThat(r.pairs()).extracting(Battle::questionId).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9]+"));
        assertThat(new PairMiner(1).mine(in, Quarantine.counting()).pairs()).hasSize(2);
        assertThat(love).anySatisfy(b -> assertThat(b.conversationA().get(1)).isNotEqualTo(BattleMessage.assistant("Baby don't hurt me")));
    }

    private static Conversation conv(String id, String model, String prompt, String answer) {
        return Conversation.of(id, model, List.of(Message.user(prompt), Message.assistant(answer)));
    }
}
