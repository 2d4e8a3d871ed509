package org.chatcorpus.usecases.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.core.web.Html;

/**
 * The moderation benchmark (the paper's section 4.1, Table 3): every moderator judges every labeled
 * message; the result is {@code eval.json}, {@code index.html}, {@code errors.jsonl} (messages a
 * moderator gave no verdict for, with the reason) and optionally a challenge set: the messages
 * labeled toxic that the first moderator missed, as OpenAI-sample JSON lines (how the paper built
 * its set from what OpenAI's moderation missed), readable again as labeled input.
 */
public final class ModerationEval {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModerationEval() {
    }

    /** Scores per moderator name, in the order given, and what each missed. */
    public record Result(Map<String, EvalScore> scores, Map<String, List<LabeledMessage>> missed, List<ObjectNode> errors) {
    }

    public static Result run(List<LabeledMessage> messages, List<Moderator> moderators) {
        List<String> texts = messages.stream().map(LabeledMessage::text).toList();
        Map<String, EvalScore> scores = new LinkedHashMap<>();
        Map<String, List<LabeledMessage>> missed = new LinkedHashMap<>();
        List<ObjectNode> errors = new ArrayList<>();
        for (Moderator m : moderators) {
            List<Verdict> verdicts = m.judge(texts);
            EvalScore s = new EvalScore();
            List<LabeledMessage> miss = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                Verdict v = verdicts.get(i);
                s.add(messages.get(i), v);
                if (!v.ok()) {
                    errors.add(JSON.createObjectNode().put("moderator", m.name()).put("source", messages.get(i).source()).put("error", v.error()));
                }
                if (v.ok() && messages.get(i).flagged() == 1 && !v.moderation().flagged()) {
                    miss.add(messages.get(i));
                }
            }
            scores.put(m.name(), s);
            missed.put(m.name(), miss);
        }
        return new Result(scores, missed, errors);
    }

    /** {@code {"moderators": {NAME: {"micro_f1", "flagged": {...}, "categories": {...}}}}}. */
    public static ObjectNode toJson(Result r) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode mods = root.putObject("moderators");
        r.scores().forEach((name, s) -> mods.set(name, s.toJson()));
        return root;
    }

    /** Writes eval.json, index.html and errors.jsonl under {@code out}. */
    public static void write(Result r, int messages, List<Path> inputs, Path out) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("eval.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(r)) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("index.html"), html(r, messages, inputs), StandardCharsets.UTF_8);
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("errors.jsonl"), StandardCharsets.UTF_8)) {
            for (ObjectNode e : r.errors()) {
                w.write(JSON.writeValueAsString(e));
                w.write('\n');
            }
        }
    }

    /** The messages labeled toxic that {@code moderator} missed, as OpenAI-sample JSON lines. */
    public static int writeChallengeSet(Result r, String moderator, Path file) throws IOException {
        List<LabeledMessage> miss = r.missed().get(moderator);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LabeledMessage m : miss) {
                ObjectNode n = JSON.createObjectNode();
                n.put("prompt", Utf16.scrub(m.text()));
                LabeledMessages.SAMPLE_LABELS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                    byte y = m.categories()[e.getValue().ordinal()];
                    if (y >= 0) {
                        n.put(e.getKey(), (int) y);
                    }
                });
                n.put("toxicity", 1);
                n.put("source", m.source());
                n.put("missed_by", moderator);
                w.write(JSON.writeValueAsString(n));
                w.write('\n');
            }
        }
        return miss.size();
    }

    /** The Table 3 rows as text, for the terminal. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-36s %8s %9s %9s %9s %8s %7s%n", "moderator", "micro-F1",
                "precision", "recall", "flag F1", "judged", "errors"));
        r.scores().forEach((name, s) -> {
            JsonNode j = s.toJson();
            sb.append(String.format(Locale.ROOT, "%-36s %8.3f %9.3f %9.3f %9.3f %8d %7d%n", name, j.get("micro_f1").asDouble(),
                    j.path("flagged").path("precision").asDouble(), j.path("flagged").path("recall").asDouble(),
                    j.path("flagged").path("f1").asDouble(), s.judged(), s.errors()));
        });
        return sb.toString();
    }

    private static String html(Result r, int messages, List<Path> inputs) {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Moderation benchmark</title>"
                + "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}</style>"
                + "</head><body><h1>Moderation benchmark</h1><p>");
        h.append(messages).append(" labeled messages from ");
        for (int i = 0; i < inputs.size(); i++) {
            h.append(i == 0 ? "" : ", ").append("<code>").append(Html.escape(inputs.get(i).getFileName().toString())).append("</code>");
        }
        h.append(". Micro-F1 over labeled (message, category) pairs; flagged precision / recall / F1 over messages with a "
                + "flagged label; messages a moderator gave no verdict for (errors) are left out of its figures.</p>");
        h.append("<table><tr><th>moderator</th><th>micro-F1</th><th>flagged precision</th><th>flagged recall</th><th>flagged F1</th>");
        List<String> cats = new ArrayList<>();
        for (ModerationCategory c : ModerationCategory.all()) {
            boolean any = r.scores().values().stream().anyMatch(s -> s.toJson().path("categories").has(c.label()));
            if (any) {
                cats.add(c.label());
                h.append("<th>").append(Html.escape(c.label())).append(" F1</th>");
            }
        }
        h.append("<th>judged</th><th>errors</th></tr>");
        r.scores().forEach((name, s) -> {
            JsonNode j = s.toJson();
            h.append("<tr><td>").append(Html.escape(name)).append("</td>").append(cell(j.get("micro_f1")))
                    .append(cell(j.path("flagged").path("precision"))).append(cell(j.path("flagged").path("recall")))
                    .append(cell(j.path("flagged").path("f1")));
            for (String c : cats) {
                h.append(cell(j.path("categories").path(c).path("f1")));
            }
            h.append("<td>").append(s.judged()).append("</td><td>").append(s.errors()).append("</td></tr>");
        });
        return h.append("</table></body></html>\n").toString();
    }

    private static String cell(JsonNode v) {
        return "<td>" + (v == null || v.isMissingNode() ? "–" : String.format(Locale.ROOT, "%.3f", v.asDouble())) + "</td>";
    }
}
