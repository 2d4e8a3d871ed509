package org.chatcorpus.core.io.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;

/**
 * The fixture (src/test/resources/fastchat-logs) has 14 lines over two days:
 * day 1: conv A state 1 and 2; a network error; a chat with no state; a null conv_id; an integer
 * model; an offset past the messages; a null message text; a leftvote (not a chat); a truncated
 * JSON line; conv C with offset 2 and model gpt-4 after the 0613 cut-over.
 * day 2: conv A state 3 (the last, so it wins); conv D from "bard"; a line with invalid UTF-8.
 */
class FastChatLogReaderTest {
    static List<Path> fixture() throws Exception {
        Path dir = Path.of(FastChatLogReaderTest.class.getResource("/fastchat-logs/2024-05-01-conv.json").toURI()).getParent();
        return List.of(dir.resolve("2024-05-01-conv.json"), dir.resolve("2024-05-02-conv.json"));
    }

    @Test
    void reproducesCleanChatDataCounts() throws Exception {
        CountingQuarantine q = Quarantine.counting();
        FastChatLogReader.Result r = new FastChatLogReader().clean(fixture(), q);
        // raw: the 11 "chat" events; chats: A x3, C, D; dedup: A, C, D.
        assertThat(r.report()).isEqualTo(new FastChatLogReader.CleanReport(11, 5, 3, 2, 3, 1, 2));
        assertThat(q.count()).isEqualTo(2 + 3 + 2); // invalid_conv_id + invalid + malformed lines; network errors are counted, not quarantined
    }

    @Test
    void lastStateWinsAcrossFilesInTimeOrder() throws Exception {
        List<Conversation> cs = new FastChatLogReader().clean(fixture(), Quarantine.counting()).conversations();
        assertThat(cs).extracting(Conversation::conversationId)
                .containsExactly("a1b2c3d4e5f60718293a4b5c6d7e8f90", "d".repeat(32), "c".repeat(32));
        Conversation a = cs.get(0);
        assertThat(a.conversation()).hasSize(6);
        assertThat(a.turn()).isEqualTo(3);
        assertThat(a.tstamp()).isEqualTo(200.0);
        assertThat(a.conversation().get(5)).isEqualTo(Message.assistant("Madrid."));
    }

    @Test
    void appliesOffsetRolesRenamesAndHashedUserIds() throws Exception {
        List<Conversation> cs = new FastChatLogReader().clean(fixture(), Quarantine.counting()).conversations();
        Conversation c = cs.get(2);
        assertThat(c.model()).isEqualTo("gpt-4"); // the release commit had no GPT snapshot renames
        assertThat(c.conversation()).containsExactly(Message.user("Explain <script>alert(1)</script> safely"),
                Message.assistant("It is an HTML script tag."));
        assertThat(c.userId()).isEqualTo(FastChatLogReader.md5("198.51.100.23")).hasSize(32);
        assertThat(cs.get(1).model()).isEqualTo("palm-2");
        assertThat(cs.get(0).userId()).isEqualTo(FastChatLogReader.md5("203.0.113.7"));
    }

    @Test
    void quarantineNamesFileLineAndField() throws Exception {
        CountingQuarantine q = Quarantine.counting();
        new FastChatLogReader().clean(fixture(), q);
        assertThat(q.records()).extracting(r -> Path.of(r.source()).getFileName() + " " + r.location() + ": " + r.reason())
                .containsExactly(
                        "2024-05-01-conv.json line 4: field `state` is missing (invalid_conv_id)",
                        "2024-05-01-conv.json line 5: field `state.conv_id` is null (invalid_conv_id)",
                        "2024-05-01-conv.json line 6: field `model` is a number, expected a string (invalid)",
                        "2024-05-01-conv.json line 7: field `state.messages` has no message at offset 5 (invalid)",
                        "2024-05-01-conv.json line 8: field `state.messages[1][1]` is null, expected a string (invalid)",
                        "2024-05-01-conv.json line 10: not valid JSON: Unexpected end-of-input: was expecting closing quote for a string value",
                        "2024-05-02-conv.json line 3: invalid UTF-8 at byte 45 of the line");
    }

    @Test
    void otherActionTypesTakeTheirOwnStates() throws Exception {
        List<Conversation> left = new FastChatLogReader("leftvote").clean(fixture(), Quarantine.counting()).conversations();
        assertThat(left).extracting(Conversation::conversationId).containsExactly("h".repeat(32));
    }
}
