package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `curate --profile …` reproduces the release scripts: the 2023 lmsys_chat_1m chain by default, arena_33k on request. */
class CurateProfilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static int run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
        try {
            return ChatCorpus.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** c0..c{n-1} with distinct English prompts, then 40 conversations asking the same thing. */
    private Path input(int n) throws Exception {
        Path in = dir.resolve("in.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(in, false)) {
            for (int i = 0; i < n; i++) {
                w.write(Conversation.of("c" + i, "vicuna-13b", List.of(Message.user("Please tell me an interesting fact number " + i),
                        Message.assistant("Here is one."))));
            }
            for (int i = 0; i < 40; i++) {
                w.write(Conversation.of("spam" + i, "vicuna-13b", List.of(Message.user("hi"), Message.assistant("Hello!"))));
            }
        }
        return in;
    }

    private static List<Conversation> release(Path out) throws Exception {
        return new DatasetReader(List.of(out.resolve("data").toString()), null).readAll(Quarantine.counting());
    }

    @Test
    void theDefaultProfileHasNoHighFrequencyCap() throws Exception {
        Path out = dir.resolve("default");
        assertThat(run("curate", input(300).toString(), "--out", out.toString(), "--moderation", "none")).isZero();
        assertThat(release(out)).hasSize(340); // the 2023 scripts keep every "hi"
    }

    @Test
    void aPipelineWithoutStagesRewritesItsInputAndSucceeds() throws Exception {
        Path config = dir.resolve("nothing.yaml");
        Files.writeString(config, "seed: 42\nstages: []\n");
        Path out = dir.resolve("copy");
        assertThat(run("curate", input(10).toString(), "--out", out.toString(), "--config", config.toString())).isZero();
        assertThat(release(out)).hasSize(50);
    }

    @Test
    void theCapIsOptIn() throws Exception {
        Path out = dir.resolve("capped");
        assertThat(run("curate", input(300).toString(), "--out", out.toString(), "--dedup-high-frequency", "drop")).isZero();
        // 301 prompt keys: 300 seen once, "hi\n" 40 times. pandas' quantile(0.9999) = 1 + 0.97 * 39 = 38.83,
        // so "hi" is high-frequency and keeps int(38.83) = 38 of its 40.
        assertThat(release(out)).filteredOn(c -> c.firstPrompt().equals("hi")).hasSize(38);
        Path tagged = dir.resolve("tagged");
        assertThat(run("curate", input(300).toString(), "--out", tagged.toString(), "--dedup-high-frequency", "tag")).isZero();
        assertThat(release(tagged)).hasSize(340);
        assertThat(Files.readAllLines(tagged.resolve("dedup_tags.jsonl"))).hasSize(40);
    }

    @Test
    void sampleTakesCPythonsConversationsInCPythonsOrderIntoTheShards() throws Exception {
        Path in = dir.resolve("numbered.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(in, false)) {
            for (int i = 0; i < 1000; i++) {
                w.write(Conversation.of("c" + i, "vicuna-13b", List.of(Message.user("Please tell me an interesting fact number " + i),
                        Message.assistant("Here is one."))));
            }
        }
        Path out = dir.resolve("sampled");
        assertThat(run("curate", in.toString(), "--out", out.toString(), "--sample", "12")).isZero();
        // python3 -c "import random; c=[f'c{i}' for i in range(1000)]; random.seed(42); random.shuffle(c); print(c[:12])"
        assertThat(release(out)).extracting(Conversation::conversationId)
                .containsExactly("c776", "c507", "c895", "c922", "c33", "c483", "c85", "c750", "c354", "c523", "c184", "c809");
    }

    @Test
    void anUnknownProfileIsRefusedWithItsName() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            assertThat(ChatCorpus.execute("curate", input(3).toString(), "--out", dir.resolve("x").toString(), "--profile", "lmsys-2024"))
                    .isNotZero();
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString()).contains("lmsys-2024").contains("arena-33k");
    }

    @Test
    void theArena33kProfileWritesTheReleaseLayoutWithLanguageModerationAndTags() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k < 3; k++) {
                lines.add(vote("pop" + i + "-" + k, "a popular question number " + i, 10 + i));
            }
        }
        for (int i = 0; i < 20; i++) {
            lines.add(vote("q" + i, "What is the tallest mountain in Europe, and how high is it? (" + i + ")", 100 + i));
        }
        Path log = dir.resolve("2023-07-01-conv.json");
        Files.write(log, lines);
        Path tags = dir.resolve("toxic.json");
        Files.writeString(tags, "[{\"question_id\": \"q3\", \"toxic_chat\": {\"roberta-large\": {\"flagged\": false, \"probability\": 0.02}}}]");
        Path out = dir.resolve("arena");
        assertThat(run("curate", log.toString(), "--profile", "arena-33k", "--out", out.toString(), "--sample", "5",
                "--toxic-chat-tags", tags.toString())).isZero();
        List<JsonNode> rows = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("arena-conversations.jsonl"))) {
            rows.add(JSON.readTree(l));
        }
        // python3 -c "import random; c=[f'q{i}' for i in range(20)]; random.seed(0); random.shuffle(c); print(c[:5])"
        assertThat(rows).extracting(r -> r.get("question_id").asText()).containsExactly("q10", "q18", "q16", "q14", "q0");
        assertThat(rows).allMatch(r -> r.get("language").asText().equals("English") && r.has("openai_moderation") && r.has("toxic_chat_tag"));
        JsonNode prov = JSON.readTree(out.resolve("provenance.json").toFile());
        assertThat(prov.get("counts").get("filter.too_frequent").asLong()).isEqualTo(30);
    }

    private static String vote(String convId, String prompt, double tstamp) throws Exception {
        var row = JSON.createObjectNode();
        row.put("tstamp", tstamp).put("type", "leftvote").put("ip", "198.51.100.1");
        row.putArray("models").add("").add("");
        var states = row.putArray("states");
        for (String hidden : List.of("koala-13b", "alpaca-13b")) {
            var s = states.addObject();
            s.put("conv_id", convId).put("offset", 0).put("model_name", hidden);
            s.putArray("messages").add(JSON.createArrayNode().add("USER").add(prompt)).add(JSON.createArrayNode().add("ASSISTANT").add("Mont Blanc, 4,805 m."));
        }
        return JSON.writeValueAsString(row);
    }
}
