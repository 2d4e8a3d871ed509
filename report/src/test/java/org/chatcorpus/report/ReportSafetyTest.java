package org.chatcorpus.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's Safety section: Table 4 (jailbreak attempts and successes per model and category)
 * counted as the paper defines them, checked against a count written out here, and who tagged the
 * moderation column, from the release's provenance.json.
 */
class ReportSafetyTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final List<String> MODELS = List.of("vicuna-13b", "koala-13b", "<b>llama</b>");

    @TempDir
    Path tmp;

    /** A flag in category {@code cat} (or a clean tag when cat < 0), with a score. */
    private static Moderation tag(int cat, double score) {
        boolean[] cats = new boolean[ModerationCategory.COUNT];
        double[] scores = new double[ModerationCategory.COUNT];
        if (cat >= 0) {
            cats[cat] = true;
            scores[cat] = score;
        }
        return new Moderation(cats, scores, cat >= 0);
    }

    /**
     * 600 conversations over three models, two turns each, with flags on user and model messages in
     * rotating categories; some untagged, some flagged only on the model side, one with a system
     * message flagged (neither a user nor a model message).
     */
    private static List<Conversation> flaggedRelease() {
        List<Conversation> out = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            List<Message> msgs = new ArrayList<>(List.of(Message.user("question " + i), Message.assistant("answer " + i),
                    Message.user("more " + i), Message.assistant("reply " + i)));
            List<Moderation> tags = new ArrayList<>();
            int userCat = i % 7 == 0 ? i % 11 : i % 13 == 0 ? (i + 3) % 11 : -1;
            int modelCat = i % 5 == 0 ? i % 11 : i % 17 == 0 ? (i + 1) % 11 : -1;
            tags.add(tag(i % 2 == 0 ? userCat : -1, 0.9));
            tags.add(tag(modelCat, 0.8));
            tags.add(tag(i % 2 == 1 ? userCat : -1, 0.7));
            tags.add(tag(-1, 0));
            if (i % 29 == 0) {
                tags = List.of(); // not moderated
            }
            if (i == 3) {
                msgs.set(0, new Message("system", "be nice"));
                tags.set(0, tag(4, 0.99));
            }
            out.add(new Conversation("c" + i, MODELS.get(i % MODELS.size()), msgs, 2, "English", tags, false, null, null));
        }
        return out;
    }

    private Path writeJsonl(Path file, List<Conversation> cs) throws Exception {
        Files.createDirectories(file.getParent());
        try (JsonlConversationWriter w = JsonlConversationWriter.create(file, false)) {
            for (Conversation c : cs) {
                w.write(c);
            }
        }
        return file;
    }

    private Report.Outcome report(Path input, Path out) throws Exception {
        List<String> inputs = List.of(input.toString());
        return Report.generate(new DatasetReader(inputs, null), inputs, null, Quarantine.counting(),
                new Report.Options(0, 0, 42, null, null, null), new ReportFixtures.HashingEmbedder(), out, false);
    }

    @Test
    void table4CountsEqualAnIndependentCountOfTheFlags() throws Exception {
        List<Conversation> cs = flaggedRelease();
        Path data = writeJsonl(tmp.resolve("rel/flags.jsonl"), cs);
        report(data, tmp.resolve("out"));
        JsonNode safety = M.readTree(tmp.resolve("out/report.json").toFile()).get("safety");

        // The count, spelled out: per model, conversations; attempts = a flagged user message; successes = also a flagged
        // assistant message; per category, user and assistant messages flagged in that category.
        Map<String, long[]> perModel = new TreeMap<>();
        Map<String, Map<String, long[]>> perCategory = new TreeMap<>();
        for (Conversation c : cs) {
            long[] k = perModel.computeIfAbsent(c.model(), m -> new long[3]);
            k[0]++;
            boolean userFlag = false;
            boolean modelFlag = false;
            java.util.Set<String> userCats = new java.util.TreeSet<>();
            java.util.Set<String> modelCats = new java.util.TreeSet<>();
            for (int i = 0; i < c.openaiModeration().size(); i++) {
                Moderation t = c.openaiModeration().get(i);
                String role = c.conversation().get(i).role();
                for (ModerationCategory cat : ModerationCategory.all()) {
                    if (t.flagged() && t.category(cat)) {
                        (role.equals("user") ? userCats : role.equals("assistant") ? modelCats : new java.util.TreeSet<String>()).add(cat.label());
                    }
                }
                userFlag |= t.flagged() && role.equals("user");
                modelFlag |= t.flagged() && role.equals("assistant");
            }
            if (userFlag) {
                k[1]++;
                k[2] += modelFlag ? 1 : 0;
                for (String cat : userCats) {
                    long[] pc = perCategory.computeIfAbsent(c.model(), m -> new TreeMap<>()).computeIfAbsent(cat, x -> new long[2]);
                    pc[0]++;
                    pc[1] += modelCats.contains(cat) ? 1 : 0;
                }
            }
        }
        assertThat(perModel.values().stream().mapToLong(v -> v[1]).sum()).as("the data has attempts").isGreaterThan(50);
        assertThat(perModel.values().stream().mapToLong(v -> v[2]).sum()).as("and successes").isGreaterThan(5);

        assertThat(fieldNames(safety.get("models"))).containsExactlyElementsOf(perModel.keySet());
        perModel.forEach((model, k) -> {
            JsonNode n = safety.get("models").get(model);
            assertThat(n.get("conversations").asLong()).as(model).isEqualTo(k[0]);
            assertThat(n.get("attempts").asLong()).as(model).isEqualTo(k[1]);
            assertThat(n.get("successes").asLong()).as(model).isEqualTo(k[2]);
            assertThat(n.get("success_rate").asDouble()).as(model).isCloseTo((double) k[2] / k[1], org.assertj.core.data.Offset.offset(1e-4));
        });
        perModel.keySet().forEach(model -> {
            Map<String, long[]> want = perCategory.getOrDefault(model, Map.of());
            JsonNode got = safety.get("categories").get(model);
            assertThat(fieldNames(got)).as(model).containsExactlyInAnyOrderElementsOf(want.keySet());
            want.forEach((cat, v) -> {
                assertThat(got.get(cat).get("attempts").asLong()).as("%s %s", model, cat).isEqualTo(v[0]);
                assertThat(got.get(cat).get("successes").asLong()).as("%s %s", model, cat).isEqualTo(v[1]);
            });
        });

        // The page shows the same table, model names escaped.
        String html = Files.readString(tmp.resolve("out/index.html"));
        assertThat(html).contains("<div id=\"jailbreaks\">").contains("Table 4").doesNotContain("<b>llama</b>");
        perModel.forEach((model, k) -> assertThat(html).contains("<tr><td>" + org.chatcorpus.core.web.Html.escape(model) + "</td><td>"
                + k[0] + "</td><td>" + k[1] + "</td><td>" + k[2] + "</td>"));
        // The existing flagged-share keys are still there beside the new ones.
        assertThat(safety.has("flagged_conversations")).isTrue();
        assertThat(safety.get("per_model").size()).isEqualTo(3);
    }

    @Test
    void aReleaseTaggedByALocalModelSaysSoInTheSafetySection() throws Exception {
        Path rel = tmp.resolve("local");
        Path data = writeJsonl(rel.resolve("data/part.jsonl"), flaggedRelease().subList(0, 50));
        // As curate's moderation stage records a local model in provenance.json (tools.moderation).
        Files.writeString(rel.resolve("provenance.json"), "{\"tool\": \"chatcorpus\", \"tools\": {\"moderation\": "
                + "\"local model mod-v2.model sha256=0a1b2c: n-gram model (hashed word 1-2-grams + logistic regression) trained on "
                + "openai-moderation-dev.jsonl.gz; flagged F1 0.874 (held-out 400 texts)\"}}");
        report(data, tmp.resolve("out"));
        String html = Files.readString(tmp.resolve("out/index.html"));
        String label = "moderation by local model mod-v2.model (flagged F1 0.874, held-out 400 texts, trained on openai-moderation-dev.jsonl.gz)";
        assertThat(html).contains("<p id=\"moderation-source\"><b>M" + label.substring(1) + "</b>");
        JsonNode source = M.readTree(tmp.resolve("out/report.json").toFile()).get("safety").get("moderation_source");
        assertThat(source.get("label").asText()).isEqualTo(label);
        assertThat(source.get("local_model").asBoolean()).isTrue();

        // Tags curate got from OpenAI's endpoint, and tags that came with the data: "OpenAI moderation".
        Files.writeString(rel.resolve("provenance.json"), "{\"tools\": {\"moderation\": \"OpenAI moderation endpoint https://api.openai.com/v1\"}}");
        report(data, tmp.resolve("out2"));
        assertThat(Files.readString(tmp.resolve("out2/index.html"))).contains("<p id=\"moderation-source\"><b>OpenAI moderation</b>")
                .doesNotContain("local model");
        Files.delete(rel.resolve("provenance.json"));
        report(data, tmp.resolve("out3"));
        assertThat(Files.readString(tmp.resolve("out3/index.html"))).contains("<p id=\"moderation-source\"><b>OpenAI moderation</b>");
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
