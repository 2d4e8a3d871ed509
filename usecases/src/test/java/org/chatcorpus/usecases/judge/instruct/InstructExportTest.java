package org.chatcorpus.usecases.judge.instruct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstructExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String conv(String id, String model, String language, String... texts) throws Exception {
        var n = JSON.createObjectNode().put("conversation_id", id).put("model", model);
        var c = n.putArray("conversation");
        for (int i = 0; i < texts.length; i++) {
            c.addObject().put("content", texts[i]).put("role", i % 2 == 0 ? "user" : "assistant");
        }
        n.put("turn", texts.length / 2).put("language", language);
        return JSON.writeValueAsString(n);
    }

    /** gpt-4, claude-2 and vicuna answers; a gpt-3.5 copy of the gpt-4 one; a claude one without answer; a German gpt-4 one. */
    private Path dataset() throws Exception {
        Path f = dir.resolve("release.jsonl");
        Files.write(f, List.of(
                conv("a", "gpt-4", "English", "How do magnets work?", "Magnetic fields arise from moving charges."),
                conv("b", "claude-2", "English", "Write a limerick", "There once was a coder named Lee", "Another", "Sure: ..."),
                conv("c", "vicuna-13b", "English", "Hello", "Hi there"),
                conv("d", "gpt-3.5-turbo", "English", "How do magnets work?", "Magnetic fields arise from moving charges."),
                conv("e", "claude-instant-1", "English", "Anyone there?"),
                conv("f", "gpt-4", "German", "Wie funktionieren Magnete?", "Durch bewegte Ladungen.")));
        return f;
    }

    @Test
    void highQualityKeepsOpenAiAndAnthropicAnswersWithoutDuplicatesAsShareGpt() throws Exception {
        Path out = dir.resolve("hq");
        InstructExport.Result r = InstructExport.run(new InstructExport.Options(List.of(dataset().toString()),
                InstructExport.Subset.HIGHQUALITY, out, InstructExport.Format.SHAREGPT, null, null, true), Quarantine.counting());
        assertThat(r.exported()).isEqualTo(3);
        assertThat(r.dropped()).containsEntry("not_a_listed_model", 1L).containsEntry("no_answer", 1L).containsEntry("duplicate", 1L);

        List<Conversation> back = new DatasetReader(List.of(out.resolve("train.json").toString()), null).readAll(Quarantine.counting());
        assertThat(back).extracting(Conversation::conversationId).containsExactly("a", "b", "f");
        assertThat(back.get(1).model()).isEqualTo("claude-2");
        assertThat(back.get(1).conversation()).containsExactly(Message.user("Write a limerick"),
                Message.assistant("There once was a coder named Lee"), Message.user("Another"), Message.assistant("Sure: ..."));
        JsonNode raw = JSON.readTree(out.resolve("train.json").toFile());
        assertThat(raw.get(0).path("conversations").get(0).path("from").asText()).isEqualTo("human");
        assertThat(raw.get(0).path("conversations").get(1).path("from").asText()).isEqualTo("gpt");

        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.path("subset").asText()).isEqualTo("highquality");
        assertThat(manifest.path("conversations").asInt()).isEqualTo(3);
        assertThat(manifest.path("models").path("gpt-4").asInt()).isEqualTo(2);
        assertThat(manifest.path("models").path("claude-2").asInt()).isEqualTo(1);
    }

    @Test
    void aModelListAndALanguageNarrowTheSubsetAndOpenAiFormatReadsBack() throws Exception {
        Path out = dir.resolve("hq");
        InstructExport.Result r = InstructExport.run(new InstructExport.Options(List.of(dataset().toString()),
                InstructExport.Subset.HIGHQUALITY, out, InstructExport.Format.OPENAI, List.of("gpt-4", "vicuna-13b"), "English", true),
                Quarantine.counting());
        assertThat(r.exported()).isEqualTo(2);
        assertThat(r.dropped()).containsEntry("language", 1L);
        List<Conversation> back = new DatasetReader(List.of(out.resolve("train.jsonl").toString()), null).readAll(Quarantine.counting());
        assertThat(back).extracting(c -> c.conversation().get(0).content()).containsExactly("How do magnets work?", "Hello");
        assertThat(Files.readAllLines(out.resolve("train.jsonl")).get(0))
                .isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":\"How do magnets work?\"},"
                        + "{\"role\":\"assistant\",\"content\":\"Magnetic fields arise from moving charges.\"}]}");
    }

    private static String state(String convId, String model, String... texts) throws Exception {
        var s = JSON.createObjectNode().put("conv_id", convId).put("model_name", model).put("offset", 0);
        var m = s.putArray("messages");
        for (int i = 0; i < texts.length; i++) {
            m.addArray().add(i % 2 == 0 ? "USER" : "ASSISTANT").add(texts[i]);
        }
        return JSON.writeValueAsString(s);
    }

    @Test
    void upvoteTakesTheVotedForStateOfFastChatLogsLatestFirst() throws Exception {
        Path logs = dir.resolve("2023-08-01-conv.json");
        Files.write(logs, List.of(
                "{\"tstamp\": 1, \"type\": \"chat\", \"model\": \"vicuna-13b\", \"state\": " + state("u1", "vicuna-13b", "q", "a") + ", \"ip\": \"1\"}",
                "{\"tstamp\": 2, \"type\": \"upvote\", \"model\": \"vicuna-13b\", \"state\": " + state("u1", "vicuna-13b", "q", "a") + ", \"ip\": \"1\"}",
                "{\"tstamp\": 3, \"type\": \"leftvote\", \"models\": [\"\", \"\"], \"states\": [" + state("l1", "gpt-4", "q1", "left") + ", "
                        + state("l2", "koala-13b", "q1", "right") + "], \"ip\": \"2\"}",
                "{\"tstamp\": 4, \"type\": \"rightvote\", \"models\": [\"\", \"\"], \"states\": [" + state("r1", "gpt-4", "q2", "left") + ", "
                        + state("r2", "claude-2", "q2", "right") + "], \"ip\": \"3\"}",
                "{\"tstamp\": 5, \"type\": \"tievote\", \"models\": [\"\", \"\"], \"states\": [" + state("t1", "gpt-4", "q3", "x") + ", "
                        + state("t2", "claude-2", "q3", "y") + "], \"ip\": \"3\"}",
                "{\"tstamp\": 6, \"type\": \"leftvote\", \"models\": [\"\", \"\"], \"states\": [" + state("l1", "gpt-4", "q1", "left", "q1b", "left again") + ", "
                        + state("l2", "koala-13b", "q1", "right", "q1b", "right again") + "], \"ip\": \"2\"}",
                "{not json"));
        Path out = dir.resolve("up");
        CountingQuarantine q = Quarantine.counting();
        InstructExport.Result r = InstructExport.run(new InstructExport.Options(List.of(logs.toString()),
                InstructExport.Subset.UPVOTE, out, InstructExport.Format.SHAREGPT, null, null, true), q);
        assertThat(r.exported()).isEqualTo(3);
        assertThat(q.count()).as("the bad line is reported once, not once per vote type").isEqualTo(1);
        List<Conversation> back = new DatasetReader(List.of(out.resolve("train.json").toString()), null).readAll(Quarantine.counting());
        assertThat(back).extracting(Conversation::conversationId).containsExactly("u1", "r2", "l1");
        assertThat(back.get(2).conversation()).hasSize(4);
        assertThat(back.get(1).model()).isEqualTo("claude-2"); // the 2023 release kept claude-2 (no snapshot rename)
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.path("subset").asText()).isEqualTo("upvote");
        assertThat(manifest.path("models").size()).isEqualTo(3);
    }

    @Test
    void upvoteOnAReleaseWithoutVotesIsRefusedNamingTheFile() throws Exception {
        Path release = dataset();
        assertThatThrownBy(() -> InstructExport.run(new InstructExport.Options(List.of(release.toString()),
                InstructExport.Subset.UPVOTE, dir.resolve("x"), InstructExport.Format.SHAREGPT, null, null, true), Quarantine.counting()))
                .hasMessageContaining("FastChat logs").hasMessageContaining("release.jsonl");
    }
}
