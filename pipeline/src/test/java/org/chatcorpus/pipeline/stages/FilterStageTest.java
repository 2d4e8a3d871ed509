package org.chatcorpus.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.Test;

/** The fast marker search gives exactly the answers of folding the whole text first, as the seed does. */
class FilterStageTest {
    @Test
    void asciiMarkerSearchAgreesWithFoldingOnRealText() throws Exception {
        List<String> needles = List.of("<anonymized>", "<redacted>", NetworkErrorStage.NOTICE, "the", "name", "ok");
        int checked = 0;
        for (Conversation c : new DatasetReader(List.of(SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz").toString()), null)
                .readAll(Quarantine.counting())) {
            for (Message m : c.conversation()) {
                String folded = FilterStage.fold(m.content());
                for (String n : needles) {
                    assertThat(FilterStage.containsAsciiIgnoreCase(m.content(), n)).as("%s in %s", n, m.content()).isEqualTo(folded.contains(n));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(10_000);
    }

    @Test
    void markersAreFoundInAnyCaseAndAtTheEdges() {
        assertThat(FilterStage.containsAsciiIgnoreCase("<ANONYMIZED>", "<anonymized>")).isTrue();
        assertThat(FilterStage.containsAsciiIgnoreCase("x <Redacted>", "<redacted>")).isTrue();
        assertThat(FilterStage.containsAsciiIgnoreCase("<redacted", "<redacted>")).isFalse();
        assertThat(FilterStage.containsAsciiIgnoreCase("", "<redacted>")).isFalse();
        assertThat(FilterStage.containsAsciiIgnoreCase("繁體中文 <anonymized> 內容", "<anonymized>")).isTrue();
    }
}
