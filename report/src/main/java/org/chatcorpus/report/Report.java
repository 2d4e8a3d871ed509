package org.chatcorpus.report;

import org.chatcorpus.embed.PromptEmbedder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.io.ConversationVectors;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.ModerationSource;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.tokenize.TokenCounter;

/**
 * The {@code report} verb's work: one streaming pass ({@link ReportRun}), optional topic
 * clustering ({@link TopicClustering}), then {@code DIR/index.html}, {@code DIR/report.json},
 * {@code DIR/charts/*.svg} and, with topics, {@code DIR/topics.parquet}, {@code DIR/embeddings.bin}
 * (the prompt embeddings, a cache) and {@code DIR/conversation-vectors.bin} (one vector per sampled
 * conversation, for the explorer's similar conversations).
 */
public final class Report {
    public static final int TOP_LANGUAGES = 25;
    public static final int MAX_TURN_BAR = 30;

    /** What to do; {@code topics = 0} disables clustering. */
    /**
     * @param explorerUrl where {@code chatcorpus explore} serves this same dataset (e.g. http://127.0.0.1:7870), so topic
     *                    examples link to their conversations; null for no links
     */
    public record Options(int topics, int sample, long seed, String summarizeUrl, String summarizeModel, String summarizeKey,
            String explorerUrl) {
        public Options(int topics, int sample, long seed, String summarizeUrl, String summarizeModel, String summarizeKey) {
            this(topics, sample, seed, summarizeUrl, summarizeModel, summarizeKey, null);
        }

        public Options {
            if (explorerUrl != null && !explorerUrl.matches("https?://[^\\s\"'<>]+")) {
                throw new IllegalArgumentException("--explorer-url must be an http(s) URL, got " + explorerUrl);
            }
            explorerUrl = explorerUrl == null ? null : explorerUrl.replaceAll("/+$", "");
            if (topics < 0 || sample < 0) {
                throw new IllegalArgumentException("--topics and --sample must be >= 0");
            }
            if ((summarizeUrl == null) != (summarizeModel == null)) {
                throw new IllegalArgumentException("--summarize-url and --summarize-model go together");
            }
        }

        public static Options defaults() {
            return new Options(20, 100_000, 42, null, null, null);
        }
    }

    /** What was written and computed. */
    public record Outcome(Path dir, BasicStatistics stats, ObjectNode json, Map<String, Path> charts, TopicClustering.Result topics,
            List<String> warnings) {
    }

    private Report() {
    }

    public static Outcome generate(DatasetReader input, List<String> inputNames, TokenCounter tokens, Quarantine quarantine,
            Options options, PromptEmbedder embedder, Path out, boolean showProgress) throws IOException {
        Files.createDirectories(out.resolve("charts"));
        ReportRun.Result run;
        try (Progress p = showProgress ? Progress.start("report", -1) : Progress.silent("report")) {
            run = ReportRun.compute(input, tokens, quarantine, p, options.topics() > 0 ? options.sample() : 0, options.seed());
        }
        List<String> warnings = new ArrayList<>();
        TopicClustering.Result topics = null;
        if (options.topics() > 0) {
            List<PromptSampler.Prompt> sample = run.counts().sampler.sample();
            try (Progress p = showProgress ? Progress.start("embed", sample.size()) : Progress.silent("embed")) {
                topics = TopicClustering.run(sample, options.topics(), options.seed(), embedder, out.resolve("embeddings.bin"), p);
            }
            if (options.summarizeUrl() != null && !topics.topics().isEmpty()) {
                ClusterSummarizer s = new ClusterSummarizer(options.summarizeUrl(), options.summarizeModel(), options.summarizeKey());
                try {
                    topics = TopicClustering.withTopics(topics, s.summarizeAll(topics.topics()));
                } catch (IOException e) {
                    warnings.add("topic summaries skipped: " + e.getMessage());
                }
            }
            TopicAssignments.write(out.resolve("topics.parquet"), topics);
            ConversationEmbeddings.write(out.resolve(ConversationVectors.FILE_NAME), topics, run.counts().digest.toString());
        }
        ReportData data = new ReportData(run, topics, options, inputNames, ModerationSource.of(inputNames));
        Map<String, String> charts = ReportCharts.build(data);
        Map<String, Path> files = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : charts.entrySet()) {
            Path f = out.resolve("charts").resolve(e.getKey() + ".svg");
            Files.writeString(f, SvgChart.asFile(e.getValue()));
            files.put(e.getKey(), f);
        }
        ObjectMapper m = new ObjectMapper();
        ObjectNode json = data.toJson(m, charts.keySet(), warnings);
        Files.writeString(out.resolve("report.json"), m.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        Files.writeString(out.resolve("index.html"), ReportHtml.render(data, charts, warnings));
        return new Outcome(out, run.stats(), json, files, topics, warnings);
    }

    /** The merged counts with the derived numbers the page, the charts and report.json share. */
    static final class ReportData {
        final ReportRun.Result run;
        final BasicStatistics stats;
        final ReportAccumulator counts;
        final TopicClustering.Result topics;
        final Options options;
        final List<String> inputs;
        final ModerationSource moderationSource;

        ReportData(ReportRun.Result run, TopicClustering.Result topics, Options options, List<String> inputs,
                ModerationSource moderationSource) {
            this.moderationSource = moderationSource;
            this.run = run;
            this.stats = run.stats();
            this.counts = run.counts();
            this.topics = topics;
            this.options = options;
            this.inputs = List.copyOf(inputs);
        }

        Map<String, Long> days() {
            Map<String, Long> out = new LinkedHashMap<>();
            counts.days.forEach((d, n) -> out.put(ReportAccumulator.day(d), n[0]));
            return out;
        }

        Map<String, Long> turns() {
            Map<String, Long> out = new LinkedHashMap<>();
            counts.turns.forEach((t, n) -> out.put(Long.toString(t), n[0]));
            return out;
        }

        /** Per-model safety rows, in the order of conversations per model. */
        List<Map.Entry<String, ReportAccumulator.Safety>> safetyPerModel() {
            List<Map.Entry<String, ReportAccumulator.Safety>> out = new ArrayList<>();
            for (String model : stats.modelCounts().keySet()) {
                out.add(Map.entry(model, counts.perModel.get(model)));
            }
            return out;
        }

        static Double share(long part, long whole) {
            return whole == 0 ? null : (double) part / whole;
        }

        ObjectNode toJson(ObjectMapper m, java.util.Collection<String> chartIds, List<String> warnings) {
            ObjectNode root = m.createObjectNode();
            root.put("generator", "chatcorpus report");
            ArrayNode in = root.putArray("inputs");
            inputs.forEach(in::add);
            root.set("stats", stats.toJson(m));
            ObjectNode per = root.putObject("conversations_per_model");
            stats.modelCounts().forEach(per::put);
            ObjectNode lang = root.putObject("conversations_per_language");
            stats.languageCounts().forEach(lang::put);
            ObjectNode days = root.putObject("conversations_per_day");
            days().forEach(days::put);
            ObjectNode turns = root.putObject("turns");
            turns().forEach(turns::put);
            root.set("prompt_tokens", run.tokens() ? lengths(m, counts.promptTokens) : m.nullNode());
            root.set("response_tokens", run.tokens() ? lengths(m, counts.responseTokens) : m.nullNode());
            root.set("safety", safety(m));
            ArrayNode topicsNode = root.putArray("topics");
            if (topics != null) {
                for (TopicClustering.Topic t : topics.topics()) {
                    ObjectNode tn = topicsNode.addObject();
                    tn.put("id", t.id());
                    tn.put("size", t.size());
                    ArrayNode kw = tn.putArray("keywords");
                    t.keywords().forEach(kw::add);
                    ArrayNode ex = tn.putArray("examples");
                    ArrayNode refs = tn.putArray("example_refs");
                    for (TopicClustering.Example e : t.examples()) {
                        ex.add(e.text());
                        refs.addObject().put("conversation_id", e.conversationId()).put("message_index", e.messageIndex());
                    }
                    if (t.summary() != null) {
                        tn.put("summary", t.summary());
                    }
                }
            }
            ObjectNode tc = root.putObject("topic_clustering");
            tc.put("enabled", options.topics() > 0);
            tc.put("k", options.topics());
            tc.put("sample", options.sample());
            tc.put("seed", options.seed());
            tc.put("language", PromptSampler.LANGUAGE);
            tc.put("min_chars", PromptSampler.MIN_CHARS);
            tc.put("max_chars", PromptSampler.MAX_CHARS);
            tc.put("candidates", counts.sampler.candidates());
            if (topics != null) {
                tc.put("sampled", topics.prompts().size());
                tc.put("clusters", topics.topics().size());
                tc.put("model", topics.model());
                tc.put("iterations", topics.iterations());
                if (Double.isNaN(topics.silhouette())) {
                    tc.putNull("silhouette");
                } else {
                    tc.put("silhouette", topics.silhouette());
                }
                tc.put("silhouette_sample", Math.min(TopicClustering.SILHOUETTE_POINTS, topics.prompts().size()));
                tc.put("map_points", topics.mapIndex().length);
                tc.put("embeddings_cached", topics.cached());
                ObjectNode cv = tc.putObject("conversation_vectors");
                cv.put("file", ConversationVectors.FILE_NAME);
                cv.put("conversations", topics.prompts().stream().map(PromptSampler.Prompt::conversationId).distinct().count());
                cv.put("release_digest", counts.digest.toString());
            }
            ObjectNode ch = root.putObject("charts");
            chartIds.forEach(id -> ch.put(id, "charts/" + id + ".svg"));
            ArrayNode w = root.putArray("warnings");
            warnings.forEach(w::add);
            return root;
        }

        /** The safety counts and shares of a slice (all conversations, or one model's), the same keys for both. */
        private static void putSafety(ObjectNode n, ReportAccumulator.Safety v) {
            n.put("conversations", v.conversations);
            n.put("moderated_conversations", v.moderatedConversations);
            n.put("flagged_conversations", v.flaggedConversations);
            putShare(n, "flagged_conversations_share", share(v.flaggedConversations, v.moderatedConversations));
            n.put("moderated_messages", v.moderatedMessages);
            n.put("flagged_messages", v.flaggedMessages);
            putShare(n, "flagged_messages_share", share(v.flaggedMessages, v.moderatedMessages));
            n.put("redacted_conversations", v.redacted);
            putShare(n, "redacted_share", share(v.redacted, v.conversations));
        }

        private ObjectNode safety(ObjectMapper m) {
            ReportAccumulator.Safety t = counts.total;
            ObjectNode s = m.createObjectNode();
            putSafety(s, t);
            ArrayNode pm = s.putArray("per_model");
            for (Map.Entry<String, ReportAccumulator.Safety> e : safetyPerModel()) {
                ReportAccumulator.Safety v = e.getValue();
                ObjectNode r = pm.addObject();
                r.put("model", e.getKey());
                putSafety(r, v);
            }
            ObjectNode source = s.putObject("moderation_source");
            source.put("label", moderationSource.label());
            source.put("detail", moderationSource.detail());
            source.put("local_model", moderationSource.local());
            // Table 4, in the shapes of the safety verb's safety.json and categories.json.
            Map<String, JailbreakCounts.Counts> jb = counts.jailbreaks.counts();
            s.set("models", JailbreakCounts.modelsJson(m, jb).get("models"));
            s.set("categories", JailbreakCounts.categoriesJson(m, jb).get("models"));
            ArrayNode pc = s.putArray("per_category");
            for (ModerationCategory c : ModerationCategory.all()) {
                ObjectNode r = pc.addObject();
                r.put("category", c.label());
                r.put("messages", counts.categoryMessages[c.ordinal()]);
                putShare(r, "messages_share", share(counts.categoryMessages[c.ordinal()], t.moderatedMessages));
                r.put("conversations", counts.categoryConversations[c.ordinal()]);
                putShare(r, "conversations_share", share(counts.categoryConversations[c.ordinal()], t.moderatedConversations));
            }
            return s;
        }

        private static void putShare(ObjectNode n, String k, Double v) {
            if (v == null) {
                n.putNull(k);
            } else {
                n.put(k, v);
            }
        }

        private static ObjectNode lengths(ObjectMapper m, LengthHistogram h) {
            ObjectNode n = m.createObjectNode();
            n.put("count", h.count());
            n.put("mean", h.mean());
            n.put("median", h.quantile(0.5));
            n.put("p90", h.quantile(0.9));
            n.put("p99", h.quantile(0.99));
            n.put("max", h.max());
            ArrayNode bins = n.putArray("histogram");
            for (SvgChart.Bin b : h.logBins()) {
                bins.addObject().put("lo", (long) b.lo()).put("hi", (long) b.hi()).put("count", b.count());
            }
            return n;
        }
    }
}
