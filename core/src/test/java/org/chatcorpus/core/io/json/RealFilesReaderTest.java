package org.chatcorpus.core.io.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.Readers;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.Test;

/** Readers on the real public files in ../shared/data. */
class RealFilesReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shareGptDummyFileIsDetectedAndReadCompletely() throws Exception {
        Path f = SharedData.file("fastchat-dummy-conversation.json");
        assertThat(Readers.detect(f).format()).isEqualTo("sharegpt");
        CountingQuarantine q = Quarantine.counting();
        List<Conversation> cs = new ArrayList<>();
        new ShareGptReader().read(f, cs::add, q);
        JsonNode all = JSON.readTree(f.toFile());
        assertThat(cs).hasSize(all.size());
        assertThat(q.count()).isZero();
        JsonNode first = all.get(0);
        assertThat(cs.get(0).conversationId()).isEqualTo(first.get("id").asText());
        assertThat(cs.get(0).conversation().get(0)).isEqualTo(Message.user(first.get("conversations").get(0).get("value").asText()));
        assertThat(cs.get(0).conversation().get(1).role()).isEqualTo("assistant");
    }

    @Test
    void hhTranscriptsSplitIntoAlternatingTurnsWithNothingLost() throws Exception {
        Path f = SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz");
        assertThat(Readers.detect(f).format()).isEqualTo("hh");
        CountingQuarantine q = Quarantine.counting();
        List<Conversation> cs = new ArrayList<>();
        new HhTranscriptReader().read(f, cs::add, q);
        assertThat(cs).hasSize(2312);
        assertThat(q.count()).isZero();
        // Joining the messages back with their markers gives the original transcript, for every record.
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
            for (Conversation c : cs) {
                String chosen = JSON.readTree(in.readLine()).get("chosen").asText();
                StringBuilder joined = new StringBuilder();
                for (Message m : c.conversation()) {
                    joined.append(m.isUser() ? HhTranscriptReader.HUMAN : HhTranscriptReader.ASSISTANT).append(m.content());
                }
                assertThat(joined.toString()).isEqualTo(chosen);
                assertThat(c.conversation().get(0).isUser()).isTrue();
            }
        }
    }

    @Test
    void rejectedFieldCanBeReadInstead() throws Exception {
        Path f = SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz");
        List<Conversation> chosen = new ArrayList<>();
        List<Conversation> rejected = new ArrayList<>();
        new HhTranscriptReader().read(f, chosen::add, Quarantine.counting());
        new HhTranscriptReader("rejected").read(f, rejected::add, Quarantine.counting());
        assertThat(rejected).hasSameSizeAs(chosen);
        assertThat(rejected.get(0).conversation()).isNotEqualTo(chosen.get(0).conversation());
    }
}
