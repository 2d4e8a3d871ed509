package org.chatcorpus.usecases.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.text.PromptKey;
import org.chatcorpus.core.tokenize.Cl100kTokenCounter;
import org.chatcorpus.embed.MiniLmEmbedder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {
    @TempDir
    Path dir;

    private static final String[] TOPICS = {"python", "recipe", "history", "physics"};

    /** A long prompt of distinct words, so that one changed word keeps it near (Jaccard of 3-grams about 0.97, far above 0.8 for a 64-hash estimate). */
    private static String longPrompt(int i) {
        StringBuilder sb = new StringBuilder("Please explain in detail topic number " + i + " about " + TOPICS[i % 4] + ":");
        for (int w = 0; w < 200; w++) {
            sb.append(' ').append("word").append(i).append('x').append(w);
        }
        return sb.toString();
    }

    private static Conversation conv(String id, String model, String lang, String prompt, boolean redacted) {
        return new Conversation(id, model, List.of(Message.user(prompt), Message.assistant("An answer to " + id + ".")), 1, lang,
                List.of(), redacted, null, null);
    }

    private Path write(String name, List<Conversation> cs) throws IOException {
        Path f = dir.resolve(name + ".jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(f, false)) {
            for (Conversation c : cs) {
                w.write(c);
            }
        }
        return f;
    }

    private JsonNode compare(Path a, Path b, int topics) throws IOException {
        Comparison.Options o = new Comparison.Options(0.8, topics, 1000, 1000, 5, 42, new Cl100kTokenCounter(),
                topics > 0 ? MiniLmEmbedder.named("minilm-q") : null);
        return Comparison.run("A", new DatasetReader(List.of(a.toString()), null), "B", new DatasetReader(List.of(b.toString()), null),
                o, Quarantine.counting()).json();
    }

    @Test
    void overlapCountsEqualThoseComputedIndependently() throws Exception {
        List<Conversation> a = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            a.add(conv("a" + i, i % 3 == 0 ? "vicuna-13b" : "gpt-4", "English", longPrompt(i), i < 10));
        }
        List<Conversation> b = new ArrayList<>();
        // 30 exact copies with case and whitespace changes, 20 near copies (one word changed), 50 new prompts.
        for (int i = 0; i < 30; i++) {
            b.add(conv("b-exact" + i, "claude-2", "English", "  " + longPrompt(i).toUpperCase().replace(" ", "   \n"), false));
        }
        for (int i = 30; i < 50; i++) {
            b.add(conv("b-near" + i, "claude-2", "English", longPrompt(i).replace("word" + i + "x30", "changed"), false));
        }
        for (int i = 1000; i < 1050; i++) {
            b.add(conv("b-new" + i, "llama-2-13b-chat", "German", longPrompt(i), false));
        }
        JsonNode r = compare(write("a", a), write("b", b), 0);

        Set<String> aKeys = new HashSet<>();
        a.forEach(c -> aKeys.add(PromptKey.normalize(c.firstPrompt())));
        long expectedExact = b.stream().filter(c -> aKeys.contains(PromptKey.normalize(c.firstPrompt()))).count();
        assertThat(expectedExact).isEqualTo(30);
        assertThat(r.path("overlap").path("exact").asLong()).isEqualTo(expectedExact);
        assertThat(r.path("overlap").path("near").asLong()).isEqualTo(50);
        assertThat(r.path("overlap").path("exact_share").asDouble()).isEqualTo(0.3);
        assertThat(r.path("overlap").path("examples").path("near")).hasSize(5).allSatisfy(e -> {
            assertThat(e.path("conversation_id_b").asText()).startsWith("b-near");
            assertThat(e.path("conversation_id_a").asText()).isEqualTo("a" + e.path("conversation_id_b").asText().substring("b-near".length()));
            assertThat(e.path("similarity").asDouble()).isBetween(0.8, 1.0);
        });
        assertThat(r.path("a").path("conversations").asLong()).isEqualTo(200);
        assertThat(r.path("a").path("models").path("vicuna-13b").asLong()).isEqualTo(67);
        assertThat(r.path("a").path("redacted").asLong()).isEqualTo(10);
        assertThat(r.path("b").path("languages").path("German").asLong()).isEqualTo(50);
        assertThat(r.path("b").path("tokens").path("avg_prompt_tokens").asDouble()).isPositive();
    }

    @Test
    void namePlaceholdersCountAsRedactionEvenWithoutTheFlag() throws Exception {
        Path a = write("a", List.of(conv("a1", "m", "English", "Hi, I am NAME_1 and my friend is NAME_2.", false),
                conv("a2", "m", "English", "NAME_ without a number is not a placeholder", false)));
        JsonNode r = compare(a, a, 0);
        assertThat(r.path("a").path("redacted").asLong()).isEqualTo(1);
        assertThat(r.path("a").path("redacted_share").asDouble()).isEqualTo(0.5);
        assertThat(r.path("overlap").path("exact").asLong()).isEqualTo(2);
    }

    @Test
    void theResultIsTheSameOnEveryRun() throws Exception {
        List<Conversation> a = new ArrayList<>();
        List<Conversation> b = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            a.add(conv("a" + i, "m" + (i % 7), "English", longPrompt(i), false));
            b.add(conv("b" + i, "n" + (i % 5), "English", longPrompt(i * 3), false));
        }
        Path pa = write("a", a);
        Path pb = write("b", b);
        assertThat(compare(pa, pb, 0).toString()).isEqualTo(compare(pa, pb, 0).toString());
    }

    @Test
    void promptsOfATopicInBLandInThatTopic() throws Exception {
        String[][] themes = {
            {"How do I sort a list in Python by a key function?", "Write a Python function that reverses a linked list.",
             "Why does my Python loop raise an IndexError on the last element?", "Explain Python decorators with an example.",
             "How do I read a CSV file with pandas in Python?", "What is the difference between a list and a tuple in Python?"},
            {"Give me a recipe for a vegetarian lasagna.", "How long should I bake chocolate chip cookies?",
             "What spices go well in a lentil soup recipe?", "How do I make fresh pasta dough at home?",
             "Suggest a quick dinner recipe with chicken and rice.", "How can I make my bread rise better when baking?"},
        };
        List<Conversation> a = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            for (int i = 0; i < themes[t].length; i++) {
                a.add(conv("a" + t + i, "m", "English", themes[t][i], false));
            }
        }
        Path pb = write("b", List.of(conv("b1", "m", "English", "Which Python library should I use to plot a histogram?", false),
                conv("b2", "m", "English", "What should I cook for dinner tonight with potatoes and cheese?", false)));
        JsonNode topics = compare(write("a", a), pb, 2).path("topics");
        assertThat(topics.path("clusters")).hasSize(2);
        double sumA = 0;
        double sumB = 0;
        for (JsonNode c : topics.path("clusters")) {
            sumA += c.path("share_a").asDouble();
            sumB += c.path("share_b").asDouble();
            assertThat(c.path("share_b").asDouble()).as("each B prompt lands in its own theme's cluster").isEqualTo(0.5);
        }
        assertThat(sumA).isEqualTo(1.0);
        assertThat(sumB).isEqualTo(1.0);
    }

    @Test
    void theHtmlEscapesWhatTheCorporaContain() throws Exception {
        Path a = write("a", List.of(conv("<script>alert(1)</script>", "<b>model</b>", "English", "<img src=x onerror=alert(1)> hello", false)));
        String html = CompareHtml.render(compare(a, a, 0));
        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("<b>model</b>");
        assertThat(html).contains("&lt;b&gt;model&lt;/b&gt;");
    }
}
