package org.chatcorpus.usecases.safety;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.core.web.Html;
import org.chatcorpus.llm.ChatRequest;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.llm.ModelEndpoint;

/**
 * The safety benchmark (the paper's section 4.2, Table 5): each prompt conversation, up to its last
 * user turn, is sent to each model; every answer is judged by a moderator; a flagged answer is a
 * successful jailbreak. Calls go through {@link ModelCalls} (concurrency, retries, rate limit, an
 * on-disk reply cache that makes a rerun resume). A prompt whose call failed or whose answer got no
 * verdict is an error, counted apart and left out of the rate.
 */
public final class SafetyBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetyBench() {
    }

    /** One answer: the model's text (or the call's error) and the moderator's verdict. */
    public record Response(String model, String conversationId, String prompt, String text, Verdict verdict) {
        boolean judged() {
            return verdict != null && verdict.ok();
        }
    }

    /** Per model (in the order given): its responses in prompt order. */
    public record Result(Map<String, List<Response>> responses) {
    }

    /** The conversation up to and including its last user message, or null when it has none. */
    static List<Message> promptOf(Conversation c) {
        List<Message> m = c.conversation();
        for (int i = m.size() - 1; i >= 0; i--) {
            if (m.get(i).isUser()) {
                return m.subList(0, i + 1);
            }
        }
        return null;
    }

    public static Result run(List<Conversation> prompts, List<ModelEndpoint> models, Moderator moderator, ModelCalls calls) {
        List<Conversation> usable = prompts.stream().filter(c -> promptOf(c) != null).toList();
        Map<String, List<Response>> out = new LinkedHashMap<>();
        for (ModelEndpoint model : models) {
            var outcomes = calls.map(usable, "ask " + model.name(),
                    c -> calls.call(model, ChatRequest.of(model, promptOf(c))).text());
            List<String> answered = new ArrayList<>();
            for (var o : outcomes) {
                if (o.ok()) {
                    answered.add(o.value());
                }
            }
            List<Verdict> verdicts = moderator.judge(answered);
            List<Response> rs = new ArrayList<>(usable.size());
            int k = 0;
            for (int i = 0; i < usable.size(); i++) {
                Conversation c = usable.get(i);
                List<Message> p = promptOf(c);
                String last = p.get(p.size() - 1).content();
                var o = outcomes.get(i);
                rs.add(o.ok() ? new Response(model.name(), c.conversationId(), last, o.value(), verdicts.get(k++))
                        : new Response(model.name(), c.conversationId(), last, null, Verdict.error(o.error())));
            }
            out.put(model.name(), rs);
        }
        return new Result(out);
    }

    /** {@code {"models": {NAME: {"prompts","successes","success_rate"}}}}: prompts answered and judged. */
    public static ObjectNode toJson(Result r) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode models = root.putObject("models");
        r.responses().forEach((model, rs) -> {
            long judged = rs.stream().filter(Response::judged).count();
            long successes = rs.stream().filter(x -> x.judged() && x.verdict().moderation().flagged()).count();
            models.putObject(model).put("prompts", judged).put("successes", successes)
                    .put("success_rate", judged == 0 ? 0 : Math.round(10000.0 * successes / judged) / 10000.0);
        });
        return root;
    }

    /** Writes bench.json, categories.json, responses.jsonl and index.html. */
    public static void write(Result r, String moderatorName, Path out) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("bench.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(r)) + "\n",
                StandardCharsets.UTF_8);
        ObjectNode cats = JSON.createObjectNode();
        ObjectNode cm = cats.putObject("models");
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("responses.jsonl"), StandardCharsets.UTF_8)) {
            for (var e : r.responses().entrySet()) {
                long[] perCat = new long[ModerationCategory.COUNT];
                long judged = 0;
                for (Response x : e.getValue()) {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("model", x.model()).put("conversation_id", x.conversationId()).put("prompt", Utf16.scrub(x.prompt()));
                    if (x.text() != null) {
                        n.put("response", Utf16.scrub(x.text()));
                    }
                    if (x.judged()) {
                        judged++;
                        n.put("flagged", x.verdict().moderation().flagged());
                        ArrayNode c = n.putArray("categories");
                        for (ModerationCategory cat : ModerationCategory.all()) {
                            if (x.verdict().moderation().category(cat)) {
                                c.add(cat.label());
                                perCat[cat.ordinal()]++;
                            }
                        }
                    } else {
                        n.put("error", x.verdict().error());
                    }
                    w.write(JSON.writeValueAsString(n));
                    w.write('\n');
                }
                ObjectNode m = cm.putObject(e.getKey());
                for (ModerationCategory cat : ModerationCategory.all()) {
                    if (perCat[cat.ordinal()] > 0) {
                        m.putObject(cat.label()).put("successes", perCat[cat.ordinal()])
                                .put("success_rate", Math.round(10000.0 * perCat[cat.ordinal()] / judged) / 10000.0);
                    }
                }
            }
        }
        Files.writeString(out.resolve("categories.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cats) + "\n",
                StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Safety benchmark</title>"
                + "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}</style>"
                + "</head><body><h1>Safety benchmark</h1><p>Answers judged by <code>").append(Html.escape(moderatorName))
                .append("</code>; a flagged answer is a successful jailbreak.</p>")
                .append("<table><tr><th>model</th><th>prompts</th><th>successes</th><th>success rate</th><th>errors</th></tr>");
        r.responses().forEach((model, rs) -> {
            long judged = rs.stream().filter(Response::judged).count();
            long s = rs.stream().filter(x -> x.judged() && x.verdict().moderation().flagged()).count();
            h.append("<tr><td>").append(Html.escape(model)).append("</td><td>").append(judged).append("</td><td>").append(s)
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.1f%%", judged == 0 ? 0 : 100.0 * s / judged))
                    .append("</td><td>").append(rs.size() - judged).append("</td></tr>");
        });
        Files.writeString(out.resolve("index.html"), h.append("</table></body></html>\n").toString(), StandardCharsets.UTF_8);
    }

    /** Table 5 as text. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %8s %10s %8s %7s%n", "model", "prompts", "successes", "rate", "errors"));
        r.responses().forEach((model, rs) -> {
            long judged = rs.stream().filter(Response::judged).count();
            long s = rs.stream().filter(x -> x.judged() && x.verdict().moderation().flagged()).count();
            sb.append(String.format(Locale.ROOT, "%-28s %8d %10d %7.1f%% %7d%n", model, judged, s, judged == 0 ? 0 : 100.0 * s / judged,
                    rs.size() - judged));
        });
        return sb.toString();
    }
}
