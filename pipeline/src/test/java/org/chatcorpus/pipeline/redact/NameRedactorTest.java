package org.chatcorpus.pipeline.redact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.testing.SharedData;
import org.chatcorpus.pipeline.StageOutcome;
import org.junit.jupiter.api.Test;

class NameRedactorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void precisionAndRecallOfPersonSpansOnAnnotatedSentences() throws Exception {
        NameRedactor r = new NameRedactor();
        long goldSpans = 0;
        long found = 0;
        long predicted = 0;
        long correct = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(SharedData.file("pii-synth-dev.jsonl.gz"))), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                String text = n.get("full_text").asText();
                List<int[]> gold = new ArrayList<>();
                for (JsonNode s : n.get("spans")) {
                    if (s.get("entity_type").asText().equals("PERSON")) {
                        gold.add(new int[] {s.get("start_position").asInt(), s.get("end_position").asInt()});
                    }
                }
                List<NameRedactor.Span> pred = r.find(text);
                goldSpans += gold.size();
                predicted += pred.size();
                for (int[] g : gold) {
                    if (pred.stream().anyMatch(p -> p.start() < g[1] && g[0] < p.end())) {
                        found++;
                    }
                }
                for (NameRedactor.Span p : pred) {
                    if (gold.stream().anyMatch(g -> p.start() < g[1] && g[0] < p.end())) {
                        correct++;
                    }
                }
            }
        }
        double precision = (double) correct / predicted;
        double recall = (double) found / goldSpans;
        System.out.printf("PERSON spans: gold %d, predicted %d; precision %.3f, recall %.3f (overlap match)%n", goldSpans, predicted, precision, recall);
        assertThat(goldSpans).isEqualTo(564);
        assertThat(precision).isGreaterThan(0.80); // measured 0.855
        assertThat(recall).isGreaterThan(0.48); // measured 0.514
    }

    @Test
    void sameNameSameTagAcrossTurnsInOrderOfAppearance() {
        Conversation c = Conversation.of("x", "vicuna-13b", List.of(
                Message.user("Hi, my name is Sarah Connor and my friend is John Miller."),
                Message.assistant("Hello Sarah Connor! How is John Miller?"),
                Message.user("Sarah Connor is fine.")));
        StageOutcome o = new RedactStage().process(c);
        assertThat(o.changed()).isTrue();
        Conversation r = o.conversation();
        assertThat(r.redacted()).isTrue();
        assertThat(r.conversation().get(0).content()).isEqualTo("Hi, my name is NAME_1 and my friend is NAME_2.");
        assertThat(r.conversation().get(1).content()).isEqualTo("Hello NAME_1! How is NAME_2?");
        assertThat(r.conversation().get(2).content()).isEqualTo("NAME_1 is fine.");
    }

    @Test
    void codeModelNamesAndPlacesAreNeverRedacted() {
        NameRedactor r = new NameRedactor();
        String text = "Compare Vicuna, LLaMA and Claude. In Paris, France:\n```python\nclass Robert:\n    name = 'Emily'\n```\nUse `Anna` here.";
        assertThat(r.find(text)).isEmpty();
    }

    @Test
    void conversationsWithoutNamesAreUntouched() {
        Conversation c = Conversation.of("y", "m", List.of(Message.user("<script>alert(1)</script> What is 2+2?"), Message.assistant("4")));
        StageOutcome o = new RedactStage().process(c);
        assertThat(o.changed()).isFalse();
        assertThat(o.conversation().redacted()).isFalse();
    }
}
