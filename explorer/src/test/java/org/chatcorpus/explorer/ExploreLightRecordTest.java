package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.model.Conversation;
import org.junit.jupiter.api.Test;

/** The streaming read of a stored record that hits use agrees with the full parse. */
class ExploreLightRecordTest {
    @Test
    void lightReadAgreesWithTheFullRecord() throws Exception {
        SyntheticCorpus corpus = new SyntheticCorpus(9);
        int flagged = 0;
        for (int i = 0; i < 3000; i++) {
            Conversation c = corpus.conversation(i);
            byte[] json = ExplorerIndex.recordJson(c);
            assertThat(ExplorerIndex.parse(json)).isEqualTo(c);
            Conversation l = Searcher.light(json);
            assertThat(l.conversationId()).isEqualTo(c.conversationId());
            assertThat(l.model()).isEqualTo(c.model());
            assertThat(l.language()).isEqualTo(c.language());
            assertThat(l.turn()).isEqualTo(c.turn());
            assertThat(l.redacted()).isEqualTo(c.redacted());
            assertThat(l.conversation()).isEqualTo(c.conversation());
            assertThat(l.flagged()).as("conversation %d", i).isEqualTo(c.flagged());
            flagged += c.flagged() ? 1 : 0;
        }
        assertThat(flagged).isGreaterThan(50);
    }
}
