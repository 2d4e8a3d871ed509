package org.chatcorpus.pipeline.redact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
        System.out.printf("pii-synth-dev PERSON spans: gold %d, predicted %d; precision %.3f, recall %.3f (overlap match)%n", goldSpans,
                predicted, precision, recall);
        assertThat(goldSpans).isEqualTo(564);
        assertThat(precision).isGreaterThanOrEqualTo(0.85);
        assertThat(recall).isGreaterThanOrEqualTo(0.85);
    }

    /**
     * 441 real chat messages (HH-RLHF, MT-bench, ShareGPT-format) with capitalised words, person
     * names labelled by hand in real-chat-names.tsv; the texts are read from ../shared/data.
     */
    @Test
    void precisionOnHandLabelledRealChatMessages() throws Exception {
        Map<String, List<String>> hh = new HashMap<>();
        List<String> hhLines = readGzipLines("hh-rlhf-harmless-base-test.jsonl.gz");
        Pattern turn = Pattern.compile("\n\n(Human|Assistant): ");
        Map<String, String> mtBench = new HashMap<>();
        for (String line : Files.readAllLines(SharedData.file("mt-bench-questions.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            for (int j = 0; j < n.get("turns").size(); j++) {
                mtBench.put(n.get("question_id").asText() + ":" + j, n.get("turns").get(j).asText());
            }
        }
        JsonNode shareGpt = JSON.readTree(SharedData.file("fastchat-dummy-conversation.json").toFile());
        NameRedactor r = new NameRedactor();
        int messages = 0;
        int labelled = 0;
        int predicted = 0;
        int correct = 0;
        int found = 0;
        List<String> wrong = new ArrayList<>();
        try (InputStream res = getClass().getResourceAsStream("real-chat-names.tsv");
             BufferedReader in = new BufferedReader(new InputStreamReader(res, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                int record = Integer.parseInt(f[1]);
                int t = Integer.parseInt(f[2]);
                String text = switch (f[0]) {
                    case "hh-rlhf-harmless-base-test.jsonl.gz" -> {
                        String chosen = JSON.readTree(hhLines.get(record)).get("chosen").asText();
                        yield turn.split(chosen)[t + 1];
                    }
                    case "mt-bench-questions.jsonl" -> mtBench.get(record + ":" + t);
                    case "fastchat-dummy-conversation.json" -> shareGpt.get(record).get("conversations").get(t).get("value").asText();
                    default -> throw new AssertionError("unknown source " + f[0]);
                };
                messages++;
                List<int[]> names = new ArrayList<>();
                List<int[]> neutral = new ArrayList<>();
                for (String label : f[3].isEmpty() ? new String[0] : f[3].split("\\|")) {
                    boolean ignore = label.startsWith("?");
                    String s = ignore ? label.substring(1) : label;
                    assertThat(text).as("label '%s' of %s", s, line).contains(s);
                    for (int at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) {
                        (ignore ? neutral : names).add(new int[] {at, at + s.length()});
                    }
                }
                labelled += names.size();
                List<NameRedactor.Span> spans = r.find(text);
                for (int[] g : names) {
                    if (spans.stream().anyMatch(p -> p.start() < g[1] && g[0] < p.end())) {
                        found++;
                    }
                }
                for (NameRedactor.Span p : spans) {
                    if (names.stream().anyMatch(g -> p.start() < g[1] && g[0] < p.end())) {
                        correct++;
                        predicted++;
                    } else if (neutral.stream().noneMatch(g -> p.start() < g[1] && g[0] < p.end())) {
                        predicted++;
                        wrong.add(p.text());
                    }
                }
            }
        }
        double precision = (double) correct / predicted;
        System.out.printf("real chat: %d messages, %d labelled name occurrences, %d predicted, precision %.3f, recall %.3f; "
                + "false positives: %s%n", messages, labelled, predicted, precision, (double) found / labelled, wrong);
        assertThat(messages).isEqualTo(441);
        assertThat(precision).isGreaterThanOrEqualTo(0.90);
    }

    private static List<String> readGzipLines(String name) throws Exception {
        List<String> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(SharedData.file(name))), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.add(line);
            }
        }
        return out;
    }

    /** What the gazetteer redactor turned into NAME_n in real chats (issue 16): none is a person. */
    @Test
    void wordsTheGazetteerTookForNamesAreLeftAlone() {
        NameRedactor r = new NameRedactor();
        for (String text : List.of(
                "The Sun is a star, and Venus is the hottest planet.",
                "Many people think the Sun orbits the Earth.",
                "Open the terminal and run the command.",
                "OpenAI released a new model. OpenAI is based in San Francisco.",
                "I watched Star Wars last night.",
                "We flew to Milan and then took the train to Rome.",
                "The Roman Baths in Bath are worth a visit.",
                "Yes I amI'm not sure what you mean.")) {
            assertThat(r.redact(text, new LinkedHashMap<>())).as(text).isEqualTo(text);
        }
    }

    @Test
    void namesInChatRequestsAreFound() {
        NameRedactor r = new NameRedactor();
        assertThat(r.redact("Write a birthday poem for my wife Maria.", new LinkedHashMap<>()))
                .isEqualTo("Write a birthday poem for my wife NAME_1.");
        assertThat(r.redact("Dear Mr. Kowalski,\nthank you for the offer.", new LinkedHashMap<>()))
                .isEqualTo("Dear Mr. NAME_1,\nthank you for the offer.");
        assertThat(r.find("Can you find the home address of Harold Hamm?")).extracting(NameRedactor.Span::text)
                .containsExactly("Harold Hamm");
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

    @Test
    void trainingIsReproducibleFromTheSeedAndTheModelRoundTrips() throws Exception {
        NameTrainer.Config small = new NameTrainer.Config(7, 1500, 2, 14);
        byte[] a = bytes(NameTrainer.train(small));
        byte[] b = bytes(NameTrainer.train(small));
        byte[] other = bytes(NameTrainer.train(new NameTrainer.Config(8, 1500, 2, 14)));
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(other);
        NameModel back = NameModel.read(new java.io.ByteArrayInputStream(a));
        assertThat(bytes(back)).isEqualTo(a);
        assertThat(new NameRedactor(back).find("My name is Maria Kowalska and I live in Warsaw.")).isNotNull();
    }

    private static byte[] bytes(NameModel m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.save(out);
        return out.toByteArray();
    }
}
