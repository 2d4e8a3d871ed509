package org.chatcorpus.bench.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.parquet.ReleaseSchema;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;
import org.chatcorpus.core.tokenize.LlamaTokenizer;
import org.chatcorpus.core.tokenize.TokenCounter;
import org.chatcorpus.embed.MiniLmEmbedder;
import org.chatcorpus.report.Report;

/**
 * {@code stats} and {@code report} (no topics) with Llama token counts against their floor, the
 * tokenizer alone on the same texts with the same threads, in one JVM.
 *
 * <p>The floor: the messages of the first {@code sample} conversations are read into memory; a
 * fifth of them warms the JIT and the tokenizer's word caches, then the rest are counted by one
 * thread per core (batches of 256 texts, as stats hands them out), tokens per CPU second measured
 * (the threads' own CPU time: on a shared machine wall time says more about the neighbours); the
 * floor for the release is its total token count (counted during the stats run) at that rate, and
 * that divided by the cores in wall time. The same is done with the whole-text merge
 * ({@code encode(text).length}, what count did before the word cache) for reference. Then stats
 * over the whole release, then the report; each reports wall and process CPU time, ratios to the
 * floor, GC time and heap after its last collection.
 *
 * <p>Usage: StatsTokensBench RELEASE_DIR TOKENIZER_JSON [sample=100000] [report=true]
 */
public final class StatsTokensBench {
    public static void main(String[] args) throws Exception {
        List<String> inputs = List.of(args[0]);
        LlamaTokenizer tok = LlamaTokenizer.load(Path.of(args[1]));
        int sample = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        boolean withReport = args.length <= 3 || Boolean.parseBoolean(args[3]);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "cores %d, max heap %d MiB, load average %.2f%n", cores, Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        List<String> texts = texts(inputs, sample);
        int warm = texts.size() / 5;
        List<String> warmTexts = texts.subList(0, warm);
        List<String> timed = texts.subList(warm, texts.size());
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        count(pool, cores, warmTexts, tok::count);
        double[] word = count(pool, cores, timed, tok::count);
        double[] whole = count(pool, cores, timed, t -> t.isEmpty() ? 1 : tok.encode(t).length);
        pool.shutdown();
        texts = null;
        warmTexts = null;
        timed = null;
        // Rates per CPU second: on a machine shared with other jobs a thread's CPU time is what it
        // got, while wall time depends on what the others did meanwhile.
        double wordRate = word[0] / word[3];
        double wholeRate = whole[0] / whole[3];
        System.out.printf(Locale.ROOT, "tokenizer alone, %d threads, %,d texts of %,d conversations (after %,d warm-up texts): "
                + "%,.0f tokens per CPU second (%,.0f tokens/s wall on %d threads); whole-text merge (the count before the word cache): "
                + "%,.0f tokens per CPU second (%,.0f tokens/s wall)%n", cores, (long) word[2], sample, warm, wordRate, word[0] / word[1],
                cores, wholeRate, whole[0] / whole[1]);

        LongAdder tokens = new LongAdder();
        TokenCounter counting = new TokenCounter() {
            @Override
            public String name() {
                return tok.name();
            }

            @Override
            public int count(String text) {
                int n = tok.count(text);
                tokens.add(n);
                return n;
            }
        };
        System.gc();
        long gc0 = gcMillis();
        double cpu0 = processCpu();
        long s = System.nanoTime();
        BasicStatistics stats = StatisticsRun.compute(new DatasetReader(inputs, null), counting, Quarantine.counting(), Progress.silent("bench"));
        double statsSecs = (System.nanoTime() - s) / 1e9;
        double statsCpu = processCpu() - cpu0;
        long statsGc = gcMillis() - gc0;
        long total = tokens.sum();
        // The floor: the release's tokens at the tokenizer-alone rate, all cores busy.
        double floorCpu = total / wordRate;
        double floor = floorCpu / cores;
        System.out.printf(Locale.ROOT, "stats --tokenizer llama: %,d conversations, %,d tokens in %.1f s wall, %.1f CPU s;"
                + " tokenizer-alone floor %.1f CPU s (%.1f s on %d cores) → CPU ratio %.2fx, wall ratio %.2fx"
                + " (floor with the whole-text merge: %.1f s on %d cores); GC %.1f s, heap after last GC %d MiB%n",
                stats.conversations(), total, statsSecs, statsCpu, floorCpu, floor, cores, statsCpu / floorCpu, statsSecs / floor,
                total / wholeRate / cores, cores, statsGc / 1e3, heapAfterGc() >> 20);

        if (withReport) {
            System.gc();
            gc0 = gcMillis();
            Path out = Files.createTempDirectory("stats-tokens-bench");
            cpu0 = processCpu();
            s = System.nanoTime();
            Report.Outcome o = Report.generate(new DatasetReader(inputs, null), inputs, tok, Quarantine.counting(),
                    new Report.Options(0, 0, 42, null, null, null), new MiniLmEmbedder(), out, false);
            double reportSecs = (System.nanoTime() - s) / 1e9;
            double reportCpu = processCpu() - cpu0;
            ObjectMapper om = new ObjectMapper();
            boolean agree = om.readTree(om.writeValueAsString(o.json().get("stats"))).equals(om.readTree(om.writeValueAsString(stats.toJson(om))));
            System.out.printf(Locale.ROOT, "report --tokenizer llama --topics 0: %.1f s wall, %.1f CPU s; CPU ratio to the floor %.2fx,"
                    + " wall ratio %.2fx; to stats: CPU %.2fx, wall %.2fx; GC %.1f s, heap after last GC %d MiB; its stats equal stats': %s%n",
                    reportSecs, reportCpu, reportCpu / floorCpu, reportSecs / floor, reportCpu / statsCpu, reportSecs / statsSecs,
                    (gcMillis() - gc0) / 1e3, heapAfterGc() >> 20, agree);
        }
        System.out.printf(Locale.ROOT, "load average at the end %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** The messages of the first {@code n} conversations. */
    static List<String> texts(List<String> inputs, int n) {
        List<String> out = new ArrayList<>();
        Iterator<Conversation> it = new DatasetReader(inputs, null).withColumns(Set.of(ReleaseSchema.CONVERSATION_ID, ReleaseSchema.MODEL,
                ReleaseSchema.CONVERSATION)).iterator(Quarantine.counting(), 1024);
        for (int i = 0; i < n && it.hasNext(); i++) {
            for (Message m : it.next().conversation()) {
                out.add(m.content());
            }
        }
        return out;
    }

    /**
     * {tokens, wall seconds, texts, CPU seconds summed over the threads}: every text counted once,
     * batches of 256 handed to {@code threads} workers.
     */
    static double[] count(ExecutorService pool, int threads, List<String> texts, ToIntFunction<String> counter) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<long[]>> parts = new ArrayList<>();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long s = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            parts.add(pool.submit(() -> {
                long cpu = mx.getCurrentThreadCpuTime();
                long sum = 0;
                for (int b; (b = next.getAndAdd(256)) < texts.size(); ) {
                    for (int i = b; i < Math.min(texts.size(), b + 256); i++) {
                        sum += counter.applyAsInt(texts.get(i));
                    }
                }
                return new long[] {sum, mx.getCurrentThreadCpuTime() - cpu};
            }));
        }
        long sum = 0;
        long cpu = 0;
        for (Future<long[]> f : parts) {
            sum += f.get()[0];
            cpu += f.get()[1];
        }
        return new double[] {sum, (System.nanoTime() - s) / 1e9, texts.size(), cpu / 1e9};
    }

    /** CPU time of the whole process (every thread: readers, workers, GC, JIT). */
    private static double processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, g.getCollectionTime());
        }
        return t;
    }

    private static long heapAfterGc() {
        long used = 0;
        for (var p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP && p.getCollectionUsage() != null) {
                used += p.getCollectionUsage().getUsed();
            }
        }
        return used;
    }
}
