package org.chatcorpus.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text is text: unencodable input is scrubbed by one rule at each boundary and no writer throws. */
class TextBoundaryTest {
    private static final String LONE_HIGH = "\uD800";
    private static final String LONE_LOW = "\uDC00";

    @TempDir
    Path dir;

    @Test
    void aLoneSurrogateJsonEscapeIsReadAsTheReplacementCharacter() throws Exception {
        Path f = dir.resolve("s.jsonl");
        Files.writeString(f, "{\"conversation_id\":\"x\\ud800\",\"model\":\"m\",\"conversation\":[{\"content\":\"a\\ud800b\\udc00\",\"role\":\"user\"}]}\n");
        CountingQuarantine q = Quarantine.counting();
        List<Conversation> cs = new DatasetReader(List.of(f.toString()), null).readAll(q);
        assertThat(cs).hasSize(1);
        assertThat(cs.get(0).conversationId()).isEqualTo("x\uFFFD");
        assertThat(cs.get(0).firstPrompt()).isEqualTo("a\uFFFDb\uFFFD");
    }

    @Test
    void fastChatLogTextWithLoneSurrogatesIsScrubbed() throws Exception {
        Path f = dir.resolve("2024-01-01-conv.json");
        Files.writeString(f, "{\"tstamp\":1,\"type\":\"chat\",\"model\":\"m\\udc00\",\"state\":{\"conv_id\":\"c\",\"offset\":0,"
                + "\"messages\":[[\"USER\",\"hi \\ud83d\"],[\"ASSISTANT\",\"ok\"]]},\"ip\":\"1.2.3.4\"}\n");
        List<Conversation> cs = new DatasetReader(List.of(f.toString()), null).readAll(Quarantine.counting());
        assertThat(cs.get(0).firstPrompt()).isEqualTo("hi \uFFFD");
        assertThat(cs.get(0).model()).isEqualTo("m\uFFFD");
    }

    @Test
    void theQuarantineWriterWritesRecordsWithLoneSurrogatesAndKeepsWorking() throws Exception {
        Path qf = dir.resolve("q/read.jsonl");
        try (JsonlQuarantine q = new JsonlQuarantine(qf)) {
            q.reject(new QuarantinedRecord("f" + LONE_LOW, "line 1", "bad " + LONE_HIGH, "raw " + LONE_HIGH + " text"));
            // a pair cut in half by the 64 KiB raw limit is scrubbed too
            q.reject(new QuarantinedRecord("f", "line 2", "long", "x".repeat(QuarantinedRecord.MAX_RAW_CHARS - 1) + "\uD83D\uDE00"));
            q.reject(new QuarantinedRecord("f", "line 3", "after", "fine"));
        }
        List<String> lines = Files.readAllLines(qf, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("raw \uFFFD text");
        assertThat(lines.get(2)).contains("\"after\"");
    }

    @Test
    void theJsonlWriterAndTheParquetWriterWriteLoneSurrogatesAsTheReplacementCharacter() throws Exception {
        Conversation c = Conversation.of("id" + LONE_HIGH, "m", List.of(Message.user("q" + LONE_LOW + "\u0000"), Message.assistant("a")));
        Path jsonl = dir.resolve("out.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(jsonl, false)) {
            w.write(c);
            w.write(Conversation.of("next", "m", List.of(Message.user("still writing"))));
        }
        try (ParquetShardWriter w = new ParquetShardWriter(dir.resolve("pq"), Long.MAX_VALUE, false)) {
            w.write(c);
        }
        for (String input : List.of(jsonl.toString(), dir.resolve("pq").toString())) {
            List<Conversation> back = new DatasetReader(List.of(input), null).readAll(Quarantine.counting());
            assertThat(back.get(0).conversationId()).isEqualTo("id\uFFFD");
            assertThat(back.get(0).firstPrompt()).isEqualTo("q\uFFFD\u0000");
        }
    }

    @Test
    void aMessageOverTwentyMillionCharactersIsReadNotCalledInvalidJson() throws Exception {
        String big = "x".repeat(20_000_001);
        Path f = dir.resolve("big.jsonl");
        Files.writeString(f, "{\"conversation_id\":\"b\",\"model\":\"m\",\"conversation\":[{\"content\":\"" + big + "\",\"role\":\"user\"}]}\n");
        CountingQuarantine q = Quarantine.counting();
        List<Conversation> cs = new DatasetReader(List.of(f.toString()), null).readAll(q);
        assertThat(q.records()).isEmpty();
        assertThat(cs.get(0).firstPrompt()).hasSize(20_000_001);
    }

    @Test
    void aRecordOverAReaderLimitSaysWhichLimit() throws Exception {
        Path f = dir.resolve("deep.jsonl");
        Files.writeString(f, "{\"conversation_id\":\"d\",\"model\":\"m\",\"conversation\":[],\"x\":" + "[".repeat(1200) + "]".repeat(1200) + "}\n");
        CountingQuarantine q = Quarantine.counting();
        new org.chatcorpus.core.io.json.LmsysJsonReader().read(f, c -> { }, q);
        assertThat(q.records().get(0).reason()).startsWith("exceeds a JSON reader limit: ").contains("nesting depth");
    }

    @Test
    void statsLeavesOutAnEmptyConversationAndQuarantinesIt() throws Exception {
        Path f = dir.resolve("e.jsonl");
        Files.writeString(f, "{\"conversation_id\":\"a\",\"model\":\"m\",\"conversation\":[{\"content\":\"q\",\"role\":\"user\"},"
                + "{\"content\":\"a\",\"role\":\"assistant\"}]}\n{\"conversation_id\":\"e\",\"model\":\"m\",\"conversation\":[]}\n");
        Path pq = dir.resolve("pq");
        try (ParquetShardWriter w = new ParquetShardWriter(pq, Long.MAX_VALUE, false)) {
            for (Conversation c : new DatasetReader(List.of(f.toString()), null).readAll(Quarantine.counting())) {
                w.write(c);
            }
        }
        for (String input : List.of(f.toString(), pq.toString())) {
            for (boolean tokens : new boolean[] {false, true}) {
                CountingQuarantine q = Quarantine.counting();
                BasicStatistics s = StatisticsRun.compute(new DatasetReader(List.of(input), null),
                        tokens ? new org.chatcorpus.core.tokenize.Cl100kTokenCounter() : null, q, Progress.silent("t"));
                assertThat(s.conversations()).as(input + " tokens=" + tokens).isEqualTo(1);
                assertThat(s.avgTurns()).isEqualTo(1.0);
                assertThat(s.quarantined()).isEqualTo(1);
                assertThat(q.records().get(0).reason()).startsWith("empty `conversation`");
            }
        }
    }
}
