package org.chatcorpus.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.generate.ReleaseWriter;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.SharedDataLocator;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;
import org.chatcorpus.core.tokenize.TokenCounter;
import org.chatcorpus.core.tokenize.TokenCounters;
import org.chatcorpus.embed.MiniLmEmbedder;
import org.chatcorpus.report.PromptSampler;
import org.chatcorpus.report.Report;
import org.chatcorpus.report.TopicClustering;

/**
 * The report verb at scale. Part 1: the report without topics over N generated conversations
 * (wall time, peak heap) against {@code stats} with the same tokenizer on the same shards, in the
 * same JVM, alternating, best of R after a warm-up; the report's stats must equal stats'. Part 2:
 * topics over up to M real prompts (HH-RLHF and MT-bench from shared data): embedding throughput
 * on all cores against one caller thread, k-means time and silhouette.
 * Usage: ReportBench [N=100000] [M=3000] [tokenizer=cl100k] [rounds=3] [k=20]
 */
public final class ReportBench {
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        String tok = args.length > 2 ? args[2] : "cl100k";
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int k = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "cores %d, max heap %d MiB%n", cores, Runtime.getRuntime().maxMemory() >> 20);
        Path work = Files.createTempDirectory("report-bench");
        Path release = work.resolve("gen");
        SyntheticCorpus corpus = new SyntheticCorpus(42);
        try (ReleaseWriter w = new ReleaseWriter(release, "bench", "bench", 64L << 20)) {
            for (long i = 0; i < n; i++) {
                w.write(corpus.conversation(i));
            }
        }
        TokenCounter tokens = TokenCounters.resolve(tok);
        List<String> inputs = List.of(release.toString());
        double bestReport = Double.MAX_VALUE;
        double bestStats = Double.MAX_VALUE;
        long peak = 0;
        JsonNode reportStats = null;
        BasicStatistics stats = null;
        ObjectMapper om = new ObjectMapper();
        for (int r = 0; r <= rounds; r++) {
            System.gc();
            resetPeaks();
            long s = System.nanoTime();
            Report.Outcome o = Report.generate(new DatasetReader(inputs, null), inputs, tokens, Quarantine.counting(),
                    new Report.Options(0, 0, 42, null, null, null), new MiniLmEmbedder(), work.resolve("report"), false);
            double t = (System.nanoTime() - s) / 1e9;
            long p = peakHeap();
            reportStats = o.json().get("stats");
            s = System.nanoTime();
            stats = StatisticsRun.compute(new DatasetReader(inputs, null), tokens, Quarantine.counting(), Progress.silent("bench"));
            double st = (System.nanoTime() - s) / 1e9;
            if (r > 0) {
                bestReport = Math.min(bestReport, t);
                bestStats = Math.min(bestStats, st);
                peak = Math.max(peak, p);
            }
        }
        boolean agree = om.readTree(om.writeValueAsString(reportStats)).equals(om.readTree(om.writeValueAsString(stats.toJson(om))));
        System.out.printf(Locale.ROOT, "report (no topics, tokenizer %s) over %,d conversations: %.2fs (%,.0f conv/s), peak heap %d MiB;"
                + " stats on the same data: %.2fs; ratio report/stats = %.2fx; stats agree: %s%n", tokens == null ? "none" : tokens.name(),
                n, bestReport, n / bestReport, peak >> 20, bestStats, bestReport / bestStats, agree);

        List<PromptSampler.Prompt> prompts = realPrompts(m);
        if (prompts.isEmpty()) {
            System.out.println("shared data not found: topic part skipped");
            return;
        }
        List<String> texts = prompts.stream().map(PromptSampler.Prompt::text).toList();
        int single = Math.min(texts.size(), 400);
        new MiniLmEmbedder(cores).embed(texts.subList(0, Math.min(64, texts.size())), Progress.silent("warm"));
        long s = System.nanoTime();
        new MiniLmEmbedder(1).embed(texts.subList(0, single), Progress.silent("one"));
        double one = single / ((System.nanoTime() - s) / 1e9);
        s = System.nanoTime();
        float[][] x = new MiniLmEmbedder(cores).embed(texts, Progress.silent("all"));
        double embedSecs = (System.nanoTime() - s) / 1e9;
        double all = texts.size() / embedSecs;
        new MiniLmEmbedder(cores, true).embed(texts.subList(0, Math.min(64, texts.size())), Progress.silent("warm-q"));
        s = System.nanoTime();
        new MiniLmEmbedder(cores, true).embed(texts, Progress.silent("all-q"));
        double allQ = texts.size() / ((System.nanoTime() - s) / 1e9);
        System.out.printf(Locale.ROOT, "embedding on %d threads: full %.1f prompts/s, int8 (report default) %.1f prompts/s, ratio int8/full %.2fx;"
                + " projected embedding time for 100,000 prompts: full %.1f min, int8 %.1f min%n", cores, all, allQ, allQ / all,
                100_000 / all / 60, 100_000 / allQ / 60);
        s = System.nanoTime();
        TopicClustering.Result r = TopicClustering.cluster(prompts, x, k, 42, false, embedSecs, MiniLmEmbedder.NAME);
        double clusterSecs = (System.nanoTime() - s) / 1e9;
        System.out.printf(Locale.ROOT, "topics over %,d real prompts (k=%d): embedding %.1f prompts/s on %d threads vs %.1f prompts/s on one"
                + " caller thread (ratio %.2fx); embed %.1fs + k-means/keywords/PCA/silhouette %.2fs = %.1fs total;"
                + " silhouette %.3f on %d prompts; %d iterations%n", texts.size(), k, all, cores, one, all / one, embedSecs, clusterSecs,
                embedSecs + clusterSecs, r.silhouette(), Math.min(TopicClustering.SILHOUETTE_POINTS, texts.size()), r.iterations());
        for (TopicClustering.Topic t : r.topics().subList(0, Math.min(5, r.topics().size()))) {
            System.out.printf(Locale.ROOT, "  topic %d (%d): %s%n", t.id(), t.size(), String.join(", ", t.keywords()));
        }
        if (!agree) {
            System.exit(1);
        }
    }

    /** Every Human turn of HH-RLHF (chosen and rejected) and MT-bench's questions, through the report's sampler. */
    static List<PromptSampler.Prompt> realPrompts(int max) throws Exception {
        Path shared = SharedDataLocator.find();
        if (shared == null) {
            return List.of();
        }
        ObjectMapper om = new ObjectMapper();
        PromptSampler sampler = new PromptSampler(max, 42);
        int id = 0;
        for (String line : Files.readAllLines(shared.resolve("mt-bench-questions.jsonl"))) {
            List<Message> msgs = new ArrayList<>();
            for (JsonNode t : om.readTree(line).get("turns")) {
                msgs.add(Message.user(t.asText()));
                msgs.add(Message.assistant("ok"));
            }
            sampler.add(conversation("mt-" + id++, msgs));
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(shared.resolve("hh-rlhf-harmless-base-test.jsonl.gz"))), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode j = om.readTree(line);
                for (String side : List.of("chosen", "rejected")) {
                    List<Message> msgs = new ArrayList<>();
                    for (String part : j.get(side).asText().split("\n\nHuman: ")) {
                        int a = part.indexOf("\n\nAssistant:");
                        String human = (a < 0 ? part : part.substring(0, a)).strip();
                        if (!human.isEmpty()) {
                            msgs.add(Message.user(human));
                            msgs.add(Message.assistant("..."));
                        }
                    }
                    sampler.add(conversation("hh-" + id++, msgs));
                }
            }
        }
        return sampler.sample();
    }

    private static Conversation conversation(String id, List<Message> msgs) {
        return new Conversation(id, "m", msgs, msgs.size() / 2, "English", List.of(), false, null, null);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
