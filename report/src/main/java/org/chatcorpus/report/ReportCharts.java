package org.chatcorpus.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.report.SvgChart.Bar;

/** The report's charts as SVG, by id (the file name under charts/ and the HTML anchor). */
final class ReportCharts {
    static final String MODELS = "conversations-per-model";
    static final String LANGUAGES = "conversations-per-language";
    static final String DAYS = "conversations-per-day";
    static final String TURNS = "turns";
    static final String PROMPT_TOKENS = "prompt-tokens";
    static final String RESPONSE_TOKENS = "response-tokens";
    static final String FLAGGED_PER_MODEL = "flagged-per-model";
    static final String FLAGGED_PER_CATEGORY = "flagged-per-category";
    static final String TOPIC_SIZES = "topic-sizes";
    static final String TOPIC_MAP = "topic-map";

    private ReportCharts() {
    }

    static Map<String, String> build(Report.ReportData d) {
        Map<String, String> out = new LinkedHashMap<>();
        List<Bar> models = new ArrayList<>();
        d.stats.modelCounts().forEach((k, v) -> models.add(new Bar(k, v)));
        out.put(MODELS, SvgChart.horizontalBars(MODELS, "Conversations per model", models, false));
        List<Bar> langs = new ArrayList<>();
        d.stats.languageCounts().entrySet().stream().limit(Report.TOP_LANGUAGES).forEach(e -> langs.add(new Bar(e.getKey(), e.getValue())));
        out.put(LANGUAGES, SvgChart.horizontalBars(LANGUAGES, "Conversations per language (top " + Report.TOP_LANGUAGES + ")", langs, false));
        if (!d.counts.days.isEmpty()) {
            List<Bar> days = new ArrayList<>();
            d.days().forEach((k, v) -> days.add(new Bar(k, v)));
            out.put(DAYS, SvgChart.verticalBars(DAYS, "Conversations per day (UTC)", days, "day"));
        }
        out.put(TURNS, SvgChart.verticalBars(TURNS, "Turns per conversation", turnBars(d), "turns"));
        if (d.run.tokens()) {
            out.put(PROMPT_TOKENS, SvgChart.logHistogram(PROMPT_TOKENS, "Tokens per prompt (log scale)",
                    d.counts.promptTokens.logBins(), "tokens per prompt"));
            out.put(RESPONSE_TOKENS, SvgChart.logHistogram(RESPONSE_TOKENS, "Tokens per response (log scale)",
                    d.counts.responseTokens.logBins(), "tokens per response"));
        }
        List<Bar> flagged = new ArrayList<>();
        for (Map.Entry<String, ReportAccumulator.Safety> e : d.safetyPerModel()) {
            Double s = Report.ReportData.share(e.getValue().flaggedConversations, e.getValue().moderatedConversations);
            if (s != null) {
                flagged.add(new Bar(e.getKey(), 100 * s));
            }
        }
        if (!flagged.isEmpty()) {
            out.put(FLAGGED_PER_MODEL, SvgChart.horizontalBars(FLAGGED_PER_MODEL, "Flagged conversations per model (% of moderated)",
                    flagged, true));
            List<Bar> cats = new ArrayList<>();
            for (ModerationCategory c : ModerationCategory.all()) {
                Double s = Report.ReportData.share(d.counts.categoryMessages[c.ordinal()], d.counts.total.moderatedMessages);
                cats.add(new Bar(c.label(), s == null ? 0 : 100 * s));
            }
            out.put(FLAGGED_PER_CATEGORY, SvgChart.horizontalBars(FLAGGED_PER_CATEGORY,
                    "Flagged messages per category (% of moderated messages)", cats, true));
        }
        if (d.topics != null && !d.topics.topics().isEmpty()) {
            List<Bar> sizes = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (TopicClustering.Topic t : d.topics.topics()) {
                String name = topicName(t);
                sizes.add(new Bar(name, t.size()));
                names.add(name);
            }
            out.put(TOPIC_SIZES, SvgChart.horizontalBars(TOPIC_SIZES, "Prompts per topic", sizes, false));
            List<SvgChart.Point> points = new ArrayList<>();
            double[][] map = d.topics.map();
            for (int i = 0; i < map.length; i++) {
                points.add(new SvgChart.Point(map[i][0], map[i][1], d.topics.assignments()[d.topics.mapIndex()[i]]));
            }
            out.put(TOPIC_MAP, SvgChart.scatter(TOPIC_MAP, "Sampled prompts by topic (PCA of embeddings)", points, names));
        }
        return out;
    }

    static String topicName(TopicClustering.Topic t) {
        String kw = String.join(", ", t.keywords().subList(0, Math.min(3, t.keywords().size())));
        return "#" + t.id() + " " + (t.summary() != null && !t.summary().isEmpty() ? t.summary() : kw);
    }

    static List<Bar> turnBars(Report.ReportData d) {
        List<Bar> bars = new ArrayList<>();
        long over = 0;
        for (Map.Entry<Long, long[]> e : d.counts.turns.entrySet()) {
            if (e.getKey() > Report.MAX_TURN_BAR) {
                over += e.getValue()[0];
            } else {
                bars.add(new Bar(Long.toString(e.getKey()), e.getValue()[0]));
            }
        }
        if (over > 0) {
            bars.add(new Bar(">" + Report.MAX_TURN_BAR, over));
        }
        return bars;
    }
}
