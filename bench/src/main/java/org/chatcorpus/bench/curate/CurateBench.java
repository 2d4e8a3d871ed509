package org.chatcorpus.bench.curate;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.pipeline.LocalRunner;
import org.chatcorpus.pipeline.PipelineConfig;

/**
 * End-to-end {@code curate} over a generated release (default: 1M conversations from
 * {@code chatcorpus generate --conversations 1000000 --seed 42}) with the local moderation model:
 * conversations/s, peak heap, the per-stage cost table. Peer, same run, same shards: DuckDB
 * reading and rewriting the same data as Parquet (the I/O floor any curate run must pay), so the
 * ratio says how much the stages cost on top of moving the bytes.
 * Usage: CurateBench RELEASE_DIR MODERATION_MODEL OUT_DIR
 */
public final class CurateBench {
    public static void main(String[] args) throws Exception {
        Path release = Path.of(args.length > 0 ? args[0] : "/work/bench-data/gen-1m");
        Path model = Path.of(args.length > 1 ? args[1] : "/work/bench-data/moderation.model");
        Path out = Path.of(args.length > 2 ? args[2] : "/work/bench-data/curated");
        if (!Files.isDirectory(release.resolve("data")) || !Files.exists(model)) {
            throw new IllegalArgumentException("need " + release + "/data (chatcorpus generate) and " + model + " (chatcorpus train-moderation)");
        }
        deleteTree(out);
        PipelineConfig cfg = PipelineConfig.defaults().withOption("moderate", "provider", "local=" + model);
        long t0 = System.nanoTime();
        LocalRunner.Result r = new LocalRunner(cfg, ParquetShardWriter.DEFAULT_SHARD_BYTES).run(List.of(release.toString()), "parquet", out);
        double ours = (System.nanoTime() - t0) / 1e9;
        long input = r.counts().get(0).seen();
        System.out.print(LocalRunner.summaryTable(r.counts()));
        System.out.printf(Locale.ROOT, "chatcorpus curate: %,d conversations in %.1f s = %,.0f conv/s; peak heap %.2f GB (-Xmx %.1f GB); %,d released%n",
                input, ours, input / ours, peakHeapBytes() / 1e9, Runtime.getRuntime().maxMemory() / 1e9, r.output().numExamples());

        Path duckOut = out.resolveSibling(out.getFileName() + "-duckdb.parquet");
        Files.deleteIfExists(duckOut);
        long t1 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM read_parquet('" + release.resolve("data") + "/*.parquet')) TO '" + duckOut + "' (FORMAT parquet)");
        }
        double duck = (System.nanoTime() - t1) / 1e9;
        Files.deleteIfExists(duckOut);
        System.out.printf(Locale.ROOT, "peer DuckDB read+rewrite of the same shards: %.1f s = %,.0f conv/s%n", duck, input / duck);
        System.out.printf(Locale.ROOT, "ratio: chatcorpus curate (all stages) takes %.2fx DuckDB's plain rewrite%n", ours / duck);
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
