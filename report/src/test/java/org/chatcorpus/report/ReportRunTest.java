package org.chatcorpus.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;
import org.chatcorpus.core.tokenize.Cl100kTokenCounter;
import org.chatcorpus.core.tokenize.TokenCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportRunTest {
    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path tmp;

    private Report.Outcome report(List<String> inputs, TokenCounter tokens, Report.Options options, Path out) throws Exception {
        return Report.generate(new DatasetReader(inputs, null), inputs, tokens, Quarantine.counting(), options,
                new ReportFixtures.HashingEmbedder(), out, false);
    }

    @Test
    void reportStatsAreExactlyTheStatsCommandsOnTheSameData() throws Exception {
        Path data = ReportFixtures.release(tmp.resolve("rel"), 3000, 11);
        TokenCounter tokens = new Cl100kTokenCounter();
        Path out = tmp.resolve("out");
        report(List.of(data.toString()), tokens, new Report.Options(0, 0, 42, null, null, null), out);
        BasicStatistics expected = StatisticsRun.compute(new DatasetReader(List.of(data.toString()), null), tokens, Quarantine.counting(),
                Progress.silent("t"));
        JsonNode json = M.readTree(out.resolve("report.json").toFile());
        assertThat(json.get("stats")).isEqualTo(roundTrip(expected));
        assertThat(json.get("stats").get("avg_prompt_tokens").isNumber()).isTrue();
        assertThat(json.get("topics").isEmpty()).isTrue();
        assertThat(out.resolve("topics.parquet")).doesNotExist();
        // Without a tokenizer too, and from JSONL with users.
        Path jsonl = ReportFixtures.jsonlWithTimestamps(tmp.resolve("ts.jsonl"), 800, 5, 9);
        Path out2 = tmp.resolve("out2");
        report(List.of(jsonl.toString()), null, new Report.Options(0, 0, 42, null, null, null), out2);
        BasicStatistics expected2 = StatisticsRun.compute(new DatasetReader(List.of(jsonl.toString()), null), null, Quarantine.counting(),
                Progress.silent("t"));
        JsonNode json2 = M.readTree(out2.resolve("report.json").toFile());
        assertThat(json2.get("stats")).isEqualTo(roundTrip(expected2));
        assertThat(json2.get("stats").get("users").asLong()).isEqualTo(97);
        assertThat(json2.get("prompt_tokens").isNull()).isTrue();
    }

    @Test
    void chartsHoldTheRightBars() throws Exception {
        Path jsonl = ReportFixtures.jsonlWithTimestamps(tmp.resolve("ts.jsonl"), 1500, 3, 12);
        Path out = tmp.resolve("out");
        Report.Outcome o = report(List.of(jsonl.toString()), new Cl100kTokenCounter(), new Report.Options(0, 0, 42, null, null, null), out);
        List<Conversation> all = new DatasetReader(List.of(jsonl.toString()), null).readAll(Quarantine.counting());

        Map<String, Long> models = new LinkedHashMap<>();
        Map<String, Long> turns = new LinkedHashMap<>();
        long flaggedConvs = 0;
        long moderated = 0;
        long[] cat = new long[ModerationCategory.COUNT];
        long moderatedMessages = 0;
        long prompts = 0;
        for (Conversation c : all) {
            models.merge(c.model(), 1L, Long::sum);
            turns.merge(Long.toString(c.turn()), 1L, Long::sum);
            if (!c.openaiModeration().isEmpty()) {
                moderated++;
                flaggedConvs += c.flagged() ? 1 : 0;
                moderatedMessages += c.openaiModeration().size();
                for (Moderation m : c.openaiModeration()) {
                    for (ModerationCategory k : ModerationCategory.all()) {
                        cat[k.ordinal()] += m.category(k) ? 1 : 0;
                    }
                }
            }
            prompts += c.conversation().stream().filter(Message::isUser).count();
        }
        assertThat(bars(out, ReportCharts.MODELS)).isEqualTo(toDouble(models));
        assertThat(o.stats().modelCounts()).isEqualTo(models.entrySet().stream().sorted(
                Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll));
        Map<String, Double> langBars = bars(out, ReportCharts.LANGUAGES);
        assertThat(langBars).hasSizeLessThanOrEqualTo(Report.TOP_LANGUAGES);
        o.stats().languageCounts().entrySet().stream().limit(Report.TOP_LANGUAGES)
                .forEach(e -> assertThat(langBars).containsEntry(e.getKey(), (double) e.getValue()));
        Map<String, Double> dayBars = bars(out, ReportCharts.DAYS);
        assertThat(dayBars).hasSize(12).containsKey("2023-07-22");
        assertThat(dayBars.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(1500);
        Map<String, Double> turnBars = bars(out, ReportCharts.TURNS);
        turns.forEach((t, n) -> {
            if (Long.parseLong(t) <= Report.MAX_TURN_BAR) {
                assertThat(turnBars).containsEntry(t, (double) n);
            }
        });
        assertThat(turnBars.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(1500);
        assertThat(bars(out, ReportCharts.PROMPT_TOKENS).values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(prompts);
        Map<String, Double> flagged = bars(out, ReportCharts.FLAGGED_PER_MODEL);
        assertThat(flagged.keySet()).isEqualTo(models.keySet().stream().filter(flagged::containsKey).collect(java.util.stream.Collectors.toSet()));
        JsonNode safety = M.readTree(out.resolve("report.json").toFile()).get("safety");
        assertThat(safety.get("flagged_conversations").asLong()).isEqualTo(flaggedConvs).isPositive();
        assertThat(safety.get("flagged_conversations_share").asDouble()).isEqualTo((double) flaggedConvs / moderated);
        Map<String, Double> cats = bars(out, ReportCharts.FLAGGED_PER_CATEGORY);
        for (ModerationCategory k : ModerationCategory.all()) {
            assertThat(cats.get(k.label())).isCloseTo(100.0 * cat[k.ordinal()] / moderatedMessages, org.assertj.core.data.Offset.offset(1e-3));
        }
        // Every chart file is listed in report.json and inlined in index.html.
        JsonNode charts = M.readTree(out.resolve("report.json").toFile()).get("charts");
        String html = Files.readString(out.resolve("index.html"));
        List<String> ids = new ArrayList<>();
        charts.fieldNames().forEachRemaining(ids::add);
        assertThat(ids).contains(ReportCharts.MODELS, ReportCharts.LANGUAGES, ReportCharts.DAYS, ReportCharts.TURNS,
                ReportCharts.PROMPT_TOKENS, ReportCharts.RESPONSE_TOKENS, ReportCharts.FLAGGED_PER_MODEL, ReportCharts.FLAGGED_PER_CATEGORY);
        for (String id : ids) {
            assertThat(out.resolve("charts").resolve(id + ".svg")).isRegularFile();
            assertThat(html).contains("data-chart=\"" + id + "\"");
        }
    }

    @Test
    void tokenLengthSummariesMatchAnExactComputation() throws Exception {
        Path data = ReportFixtures.release(tmp.resolve("rel"), 1200, 4);
        TokenCounter tokens = new Cl100kTokenCounter();
        Path out = tmp.resolve("out");
        report(List.of(data.toString()), tokens, new Report.Options(0, 0, 42, null, null, null), out);
        List<Long> lens = new ArrayList<>();
        for (Conversation c : new DatasetReader(List.of(data.toString()), null).readAll(Quarantine.counting())) {
            for (Message m : c.conversation()) {
                if (m.isUser()) {
                    lens.add((long) tokens.count(m.content()));
                }
            }
        }
        lens.sort(null);
        JsonNode p = M.readTree(out.resolve("report.json").toFile()).get("prompt_tokens");
        assertThat(p.get("count").asLong()).isEqualTo(lens.size());
        assertThat(p.get("median").asLong()).isEqualTo(lens.get((int) Math.ceil(0.5 * lens.size()) - 1));
        assertThat(p.get("p90").asLong()).isEqualTo(lens.get((int) Math.ceil(0.9 * lens.size()) - 1));
        assertThat(p.get("p99").asLong()).isEqualTo(lens.get((int) Math.ceil(0.99 * lens.size()) - 1));
        assertThat(p.get("max").asLong()).isEqualTo(lens.get(lens.size() - 1));
        assertThat(p.get("mean").asDouble()).isCloseTo(lens.stream().mapToLong(Long::longValue).average().orElseThrow(),
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void hostileTextIsEscapedEverywhere() throws Exception {
        Path jsonl = ReportFixtures.hostileJsonl(tmp.resolve("hostile.jsonl"), 40);
        Path out = tmp.resolve("out");
        report(List.of(jsonl.toString()), null, new Report.Options(2, 1000, 42, null, null, null), out);
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>evil")
                .contains("&lt;script&gt;window.pwned=1&lt;/script&gt;").contains("&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;");
        assertThat(html).contains("Content-Security-Policy");
        for (Path svg : Files.list(out.resolve("charts")).toList()) {
            String s = Files.readString(svg);
            assertThat(s).doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>");
            parse(svg); // well-formed XML even with hostile labels
        }
        JsonNode topics = M.readTree(out.resolve("report.json").toFile()).get("topics");
        assertThat(topics).hasSize(2);
        assertThat(topics.get(0).get("examples").get(0).asText()).contains("window.pwned");
    }

    /** The stats command's JSON as read back from its file (number node types as parsed). */
    private static JsonNode roundTrip(BasicStatistics s) throws Exception {
        return M.readTree(M.writerWithDefaultPrettyPrinter().writeValueAsString(s.toJson(M)));
    }

    static Map<String, Double> bars(Path out, String id) throws Exception {
        Document doc = parse(out.resolve("charts").resolve(id + ".svg"));
        NodeList gs = doc.getElementsByTagName("g");
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if ("bar".equals(g.getAttribute("class"))) {
                assertThat(g.getElementsByTagName("rect").getLength()).isEqualTo(1);
                m.put(g.getAttribute("data-label"), Double.parseDouble(g.getAttribute("data-value")));
            }
        }
        return m;
    }

    static Document parse(Path svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(svg.toFile());
    }

    private static Map<String, Double> toDouble(Map<String, Long> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.doubleValue()));
        return out;
    }
}
