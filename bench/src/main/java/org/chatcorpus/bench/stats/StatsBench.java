package org.chatcorpus.bench.stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;

/**
 * Statistics without tokens over a release (default: 1M generated conversations made with
 * {@code chatcorpus generate --conversations 1000000 --seed 42}) vs DuckDB computing the same
 * numbers over the same shards, in the same JVM, alternating, best of 30 each after a warm-up (the JIT needs about ten rounds). The
 * numbers must agree. Usage: StatsBench RELEASE_DIR [rounds]
 */
public final class StatsBench {
    public static void main(String[] args) throws Exception {
        Path release = Path.of(args.length > 0 ? args[0] : "/work/bench-data/gen-1m");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        if (!Files.isDirectory(release.resolve("data"))) {
            throw new IllegalArgumentException(release + " has no data/; run: chatcorpus generate --conversations 1000000 --seed 42 --out " + release);
        }
        String glob = release.resolve("data") + "/*.parquet";
        double bestOurs = Double.MAX_VALUE;
        double bestDuck = Double.MAX_VALUE;
        BasicStatistics ours = null;
        Map<String, Long> duckModels = null;
        long duckCount = 0;
        double duckTurns = 0;
        long duckLangs = 0;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            for (int r = 0; r <= rounds; r++) {
                long s = System.nanoTime();
                ours = StatisticsRun.compute(new DatasetReader(List.of(release.toString()), "parquet"), null, Quarantine.counting(),
                        Progress.silent("bench"));
                double t = (System.nanoTime() - s) / 1e9;
                s = System.nanoTime();
                try (Statement st = c.createStatement()) {
                    String src = "read_parquet('" + glob + "')";
                    // The same numbers: count, distinct models, languages (non-empty), users, mean turn; model and language counts.
                    ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT model), count(DISTINCT language) FILTER (WHERE language <> ''), "
                            + "avg(turn) FROM " + src);
                    rs.next();
                    duckCount = rs.getLong(1);
                    duckLangs = rs.getLong(3);
                    duckTurns = rs.getDouble(4);
                    duckModels = new HashMap<>();
                    rs = st.executeQuery("SELECT model, count(*) FROM " + src + " GROUP BY model");
                    while (rs.next()) {
                        duckModels.put(rs.getString(1), rs.getLong(2));
                    }
                    rs = st.executeQuery("SELECT language, count(*) FROM " + src + " GROUP BY language");
                    while (rs.next()) {
                        rs.getLong(2);
                    }
                }
                double d = (System.nanoTime() - s) / 1e9;
                if (r > 0) { // round 0 warms both up
                    bestOurs = Math.min(bestOurs, t);
                    bestDuck = Math.min(bestDuck, d);
                }
            }
        }
        boolean agree = ours.conversations() == duckCount && ours.languages() == duckLangs
                && Math.abs(ours.avgTurns() - duckTurns) < 1e-9 && ours.modelCounts().equals(duckModels);
        System.out.printf(Locale.ROOT, "%,d conversations, %d models, %d languages, avg turns %.4f; numbers agree with DuckDB: %s%n",
                ours.conversations(), ours.models(), ours.languages(), ours.avgTurns(), agree);
        System.out.printf(Locale.ROOT, "chatcorpus stats (no tokens): %.3fs   DuckDB: %.3fs   ratio chatcorpus/DuckDB = %.2fx%n",
                bestOurs, bestDuck, bestOurs / bestDuck);
        if (!agree) {
            System.exit(1);
        }
    }
}
