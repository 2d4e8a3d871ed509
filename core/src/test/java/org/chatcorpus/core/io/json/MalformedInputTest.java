package org.chatcorpus.core.io.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.chatcorpus.core.io.ConversationReader;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.JsonlQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.Readers;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each reader keeps every valid record and quarantines each bad one with file, line and field. */
class MalformedInputTest {
    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return f;
    }

    private List<Conversation> read(ConversationReader r, Path f, Quarantine q) throws IOException {
        List<Conversation> out = new ArrayList<>();
        r.read(f, out::add, q);
        return out;
    }

    private static final String GOOD = "{\"conversation_id\":\"ok\",\"model\":\"m\",\"conversation\":[{\"content\":\"hi\",\"role\":\"user\"},"
            + "{\"content\":\"<img src=x onerror=alert(1)>\",\"role\":\"assistant\"}],\"turn\":1,\"language\":\"English\","
            + "\"openai_moderation\":[],\"redacted\":false}";

    @Test
    void lmsysJsonlKeepsGoodRecordsAroundBadOnes() throws Exception {
        Path f = file("mixed.jsonl",
                GOOD,
                "{\"conversation_id\":\"t\",\"model\":\"m\",\"conversation\":[{\"content\":\"cut",
                "{\"conversation_id\":\"w\",\"model\":\"m\",\"conversation\":[{\"content\":7,\"role\":\"user\"}]}",
                "{\"conversation_id\":\"x\",\"conversation\":[]}",
                "{\"conversation_id\":\"y\",\"model\":\"m\",\"conversation\":[],\"turn\":\"one\"}",
                "[1,2]",
                GOOD.replace("\"ok\"", "\"ok2\""));
        CountingQuarantine q = Quarantine.counting();
        List<Conversation> cs = read(new LmsysJsonReader(), f, q);
        assertThat(cs).extracting(Conversation::conversationId).containsExactly("ok", "ok2");
        assertThat(cs.get(0).conversation().get(1).content()).isEqualTo("<img src=x onerror=alert(1)>");
        assertThat(q.records()).extracting(r -> r.location() + ": " + r.reason()).containsExactly(
                "line 2: not valid JSON: Unexpected end-of-input: was expecting closing quote for a string value",
                "line 3: field `conversation[0].content` is a number, expected a string",
                "line 4: field `model` is missing",
                "line 5: field `turn` is a string, expected an integer",
                "line 6: record is an array, expected a JSON object");
    }

    @Test
    void invalidUtf8SpoilsOnlyItsOwnLine() throws Exception {
        Path f = dir.resolve("utf8.jsonl");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
        b.write("{\"conversation_id\":\"bad\",\"model\":\"m\",\"conversation\":[{\"content\":\"".getBytes(StandardCharsets.UTF_8));
        b.write(new byte[] {(byte) 0xC3, (byte) 0x28});
        b.write("\",\"role\":\"user\"}]}\n".getBytes(StandardCharsets.UTF_8));
        b.write((GOOD.replace("\"ok\"", "\"after\"") + "\n").getBytes(StandardCharsets.UTF_8));
        Files.write(f, b.toByteArray());
        CountingQuarantine q = Quarantine.counting();
        assertThat(read(new LmsysJsonReader(), f, q)).extracting(Conversation::conversationId).containsExactly("ok", "after");
        assertThat(q.records().get(0).reason()).isEqualTo("invalid UTF-8 at byte 65 of the line");
        assertThat(q.records().get(0).location()).isEqualTo("line 2");
    }

    @Test
    void tenMegabyteMessageIsKeptIntact() throws Exception {
        String big = "word ".repeat(2 * 1024 * 1024);
        Path f = file("big.jsonl", GOOD.replace("\"hi\"", "\"" + big + "\""));
        List<Conversation> cs = read(new LmsysJsonReader(), f, Quarantine.counting());
        assertThat(cs.get(0).conversation().get(0).content()).isEqualTo(big);
    }

    @Test
    void emptyConversationsAreReadAsEmptyNotLost() throws Exception {
        Path f = file("empty.jsonl", "{\"conversation_id\":\"e\",\"model\":\"m\",\"conversation\":[]}");
        List<Conversation> cs = read(new LmsysJsonReader(), f, Quarantine.counting());
        assertThat(cs.get(0).conversation()).isEmpty();
        assertThat(cs.get(0).turn()).isZero();
    }

    @Test
    void truncatedJsonArrayKeepsTheRecordsBeforeTheBreak() throws Exception {
        Path f = dir.resolve("cut.json");
        Files.writeString(f, "[{\"id\":\"1\",\"conversations\":[{\"from\":\"human\",\"value\":\"a\"}]},"
                + "{\"id\":\"2\",\"conversations\":[{\"from\":\"gpt\",\"value\":\"b\"}]}, {\"id\":\"3\",\"conv");
        CountingQuarantine q = Quarantine.counting();
        assertThat(read(new ShareGptReader(), f, q)).extracting(Conversation::conversationId).containsExactly("1", "2");
        assertThat(q.records().get(0).location()).startsWith("record 3");
        assertThat(q.records().get(0).reason()).startsWith("JSON broken here; the rest of the file is unreadable");
    }

    @Test
    void shareGptUnknownRoleIsNamed() throws Exception {
        Path f = file("roles.jsonl", "{\"id\":\"r\",\"conversations\":[{\"from\":\"human\",\"value\":\"a\"},{\"from\":\"robot\",\"value\":\"b\"}]}");
        CountingQuarantine q = Quarantine.counting();
        assertThat(read(new ShareGptReader(), f, q)).isEmpty();
        assertThat(q.records().get(0).reason()).isEqualTo("field `conversations[1].from` is 'robot', expected human, gpt or system");
    }

    @Test
    void openAiChatJsonlMapsRolesAndRejectsToolMessages() throws Exception {
        Path f = file("openai.jsonl",
                "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}],\"model\":\"gpt-3.5-turbo\"}",
                "{\"messages\":[{\"role\":\"tool\",\"content\":\"{}\"}]}");
        assertThat(Readers.detect(f).format()).isEqualTo("openai");
        CountingQuarantine q = Quarantine.counting();
        List<Conversation> cs = read(new OpenAiChatReader(), f, q);
        assertThat(cs).hasSize(1);
        assertThat(cs.get(0).model()).isEqualTo("gpt-3.5-turbo");
        assertThat(cs.get(0).turn()).isEqualTo(1);
        assertThat(q.records().get(0).reason()).isEqualTo("field `messages[0].role` is 'tool', expected system, user or assistant");
    }

    @Test
    void hhTranscriptWithoutMarkersIsQuarantined() throws Exception {
        Path f = file("hh.jsonl", "{\"chosen\":\"no markers here\",\"rejected\":\"x\"}",
                "{\"chosen\":\"\\n\\nHuman: hi\\n\\nAssistant: hello\",\"rejected\":\"x\"}");
        CountingQuarantine q = Quarantine.counting();
        assertThat(read(new HhTranscriptReader(), f, q)).hasSize(1);
        assertThat(q.records().get(0).reason()).contains("does not start with");
    }

    @Test
    void gzipIsTransparentAndFormatIsDetectedFromContent() throws Exception {
        Path f = dir.resolve("data.jsonl.gz");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Readers.detect(f).format()).isEqualTo("lmsys");
        assertThat(new DatasetReader(List.of(f.toString()), null).readAll(Quarantine.counting())).hasSize(1);
    }

    @Test
    void unknownFormatErrorNamesTheFileAndTheChoices() throws Exception {
        Path f = file("odd.jsonl", "{\"foo\": 1}");
        assertThatThrownBy(() -> Readers.detect(f)).hasMessageContaining("odd.jsonl").hasMessageContaining("--format")
                .hasMessageContaining("sharegpt");
    }

    @Test
    void jsonlWriterRoundTripsThroughTheLmsysReader() throws Exception {
        boolean[] cats = new boolean[11];
        double[] scores = new double[11];
        cats[3] = true;
        scores[3] = 0.75;
        Conversation c = new Conversation("rt", "m", List.of(Message.user("q \"quoted\"\n"), Message.assistant("a")), 1, "German",
                List.of(Moderation.clean(), new Moderation(cats, scores, true)), true, "u1", 12.5);
        Path f = dir.resolve("out.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(f, true)) {
            w.write(c);
        }
        assertThat(read(new LmsysJsonReader(), f, Quarantine.counting())).containsExactly(c);
    }

    @Test
    void jsonlQuarantineWritesOneRecordPerLine() throws Exception {
        Path f = file("q.jsonl", GOOD, "{broken");
        Path qf = dir.resolve("quarantine/read.jsonl");
        try (JsonlQuarantine q = new JsonlQuarantine(qf)) {
            read(new LmsysJsonReader(), f, q);
            assertThat(q.count()).isEqualTo(1);
        }
        List<String> lines = Files.readAllLines(qf);
        assertThat(lines).hasSize(1);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0)).get("location").asText()).isEqualTo("line 2");
    }
}
