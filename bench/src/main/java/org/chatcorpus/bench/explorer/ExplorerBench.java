package org.chatcorpus.bench.explorer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.chatcorpus.core.generate.ReleaseWriter;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.explorer.ExplorerApp;
import org.chatcorpus.explorer.ExplorerIndex;

/**
 * The explorer end to end: indexes N generated conversations (build throughput, index size), then
 * sends fixed seeded mixes of 1,000 queries (terms, phrases, booleans, filters, filters with terms)
 * through the HTTP API from a closed-loop load generator that stops when the list is done, and
 * reports latency percentiles: once right after the index opens, once in steady state (a second
 * mix of the same distribution after the first). Named peer, in the same run: DuckDB scanning the same Parquet with
 * ILIKE for the same term queries, each engine answering them one at a time.
 *
 * <p>Usage: ExplorerBench N [clients] [work-dir] [reuse]   (N conversations are generated with seed 42; an
 * existing release directory can be given as N instead, e.g. /work/bench-data/gen-1m; with {@code reuse}
 * an index already built from the same files is kept, for timing queries only)
 */
public final class ExplorerBench {
    private static final String[] TERMS = {"python", "story", "function", "table", "summary", "detail", "example", "question",
            "explain", "code", "historia", "Geschichte", "написать", "故事", "histoire", "verhaal", "smith", "garcia", "ipsum", "answer"};
    /** The term queries timed against the peer (a DuckDB scan of 1M conversations takes seconds each). */
    private static final String[] PEER_TERMS = {"python", "function", "summary", "example", "explain", "historia", "написать",
            "故事", "smith", "ipsum"};
    private static final String[] PHRASES = {"\"write a story\"", "\"python function\"", "\"the model\"", "\"por favor\"",
            "\"my name is\"", "\"give me\""};
    private static final String[] BOOLEANS = {"python AND table", "story OR historia", "code NOT python", "(summary OR detail) AND example"};
    private static final String[] MODELS = {"vicuna-13b", "koala-13b", "gpt-4", "claude-1", "llama-2-13b-chat"};
    private static final String[] LANGUAGES = {"English", "Portuguese", "Russian", "Chinese", "German"};

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "20000";
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path work = Path.of(args.length > 2 ? args[2] : "/tmp/explorer-bench");
        Path release;
        if (Files.isDirectory(Path.of(what).resolve("data"))) {
            release = Path.of(what);
        } else {
            int n = Integer.parseInt(what);
            release = work.resolve("release-" + n);
            if (!Files.exists(release.resolve("README.md"))) {
                System.out.printf(Locale.ROOT, "generating %,d conversations (seed 42) into %s%n", n, release);
                SyntheticCorpus corpus = new SyntheticCorpus(42);
                try (ReleaseWriter w = new ReleaseWriter(release, "explorer-bench", "generated", 256L << 20)) {
                    for (int i = 0; i < n; i++) {
                        w.write(corpus.conversation(i));
                    }
                }
            }
        }
        Path index = work.resolve("index-" + release.getFileName());
        boolean reuse = args.length > 3 && args[3].equals("reuse");
        if (!reuse) {
            delete(index);
        }
        long parquetBytes;
        try (Stream<Path> s = Files.walk(release.resolve("data"))) {
            parquetBytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        long t0 = System.nanoTime();
        ExplorerIndex idx = ExplorerIndex.openOrBuild(List.of(release.toString()), "parquet", index, Progress.start("index", -1), System.out);
        double buildSecs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "index build: %,d conversations in %.1fs = %,.0f conv/s on %d cores; index %.1f MiB (Parquet %.1f MiB)%n",
                idx.size(), buildSecs, idx.size() / buildSecs, Runtime.getRuntime().availableProcessors(), idx.sizeOnDisk() / 1048576.0,
                parquetBytes / 1048576.0);

        try (ExplorerApp app = ExplorerApp.start(idx, "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + app.port() + "/api/search?";
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // Two fixed mixes from the same distribution: the first right after the index opens
            // (100 of its queries as warm-up), when the JIT and Lucene's caches are still cold; the
            // second, a different seed, after that first thousand: a server in steady state.
            List<String> first = mix(1000, 7);
            run(http, base, first.subList(0, 100), clients); // warm-up, not counted
            report("API mix after start (seed 7)", first, run(http, base, first, clients), clients);
            List<String> steady = mix(1000, 9);
            report("API mix in steady state (seed 9)", steady, run(http, base, steady, clients), clients);
            // Latency against concurrency: fewer clients than cores measure the service time, more
            // add queueing. Fresh seeds, so no mix repeats the one before it.
            int seed = 10;
            for (int c : new int[] {1, 2}) {
                if (c != clients) {
                    List<String> m = mix(1000, seed);
                    report("API mix in steady state (seed " + seed + ")", m, run(http, base, m, c), c);
                    seed++;
                }
            }

            // Peer: the same term queries, one at a time, explorer API vs DuckDB ILIKE over the Parquet.
            ObjectMapper json = new ObjectMapper();
            String glob = release.resolve("data") + "/*.parquet";
            double oursTotal = 0;
            double duckTotal = 0;
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
                st.executeQuery("SELECT count(*) FROM read_parquet('" + glob + "')").close(); // warm the file cache
                for (String term : PEER_TERMS) {
                    long a = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "q=" + enc(term) + "&limit=20")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    double ours = (System.nanoTime() - a) / 1e6;
                    long oursCount = json.readTree(r.body()).get("total").asLong();
                    a = System.nanoTime();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + glob + "') WHERE "
                            + "len(list_filter(conversation, m -> m.content ILIKE '%" + term.replace("'", "''") + "%')) > 0");
                    rs.next();
                    long duckCount = rs.getLong(1);
                    double duck = (System.nanoTime() - a) / 1e6;
                    oursTotal += ours;
                    duckTotal += duck;
                    System.out.printf(Locale.ROOT, "  %-12s explorer %8.1f ms (%,d word matches)   DuckDB ILIKE %8.1f ms (%,d substring matches)%n",
                            term, ours, oursCount, duck, duckCount);
                }
            }
            System.out.printf(Locale.ROOT, "term queries, mean: explorer %.1f ms, DuckDB ILIKE scan %.1f ms; ratio explorer/DuckDB = %.3fx%n",
                    oursTotal / PEER_TERMS.length, duckTotal / PEER_TERMS.length, oursTotal / duckTotal);
        }
    }

    private static void report(String title, List<String> queries, Timed t, int clients) {
        long[] lat = t.latencies().clone();
        java.util.Map<String, List<Long>> byKind = new java.util.TreeMap<>();
        for (int i = 0; i < queries.size(); i++) {
            byKind.computeIfAbsent(kind(queries.get(i)), k -> new ArrayList<>()).add(lat[i]);
        }
        Arrays.sort(lat);
        System.out.printf(Locale.ROOT, "%s: %d queries, %d clients, %.1fs, %.0f q/s; latency p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                title, lat.length, clients, t.seconds(), lat.length / t.seconds(), ms(lat, 0.50), ms(lat, 0.95), ms(lat, 0.99),
                lat[lat.length - 1] / 1e6);
        byKind.forEach((k, v) -> {
            long[] a = v.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "  %-16s %4d queries  p50 %6.1f ms  p95 %6.1f ms%n", k, a.length, ms(a, 0.5), ms(a, 0.95));
        });
    }

    /** Per-query latencies (ns, in list order) and the wall time of the whole list. */
    private record Timed(long[] latencies, double seconds) {
    }

    private static String kind(String q) {
        String k = !q.startsWith("q=") ? "filters" : q.contains("%22") ? "phrase" : q.matches("q=[^&]*\\+(AND|OR|NOT)\\+.*") || q.startsWith("q=%28")
                ? "boolean" : q.contains("&model=") || q.contains("&language=") || q.contains("&flagged=") || q.contains("&redacted=")
                ? "term+filter" : "term";
        return q.contains("sort=") ? k + "+sort" : k;
    }

    private static double ms(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The fixed query mix: 35% terms, 15% phrases, 10% booleans, 20% term + filter, 20% filters only. */
    static List<String> mix(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            String q;
            if (u < 0.35) {
                q = "q=" + enc(TERMS[r.nextInt(TERMS.length)]);
            } else if (u < 0.50) {
                q = "q=" + enc(PHRASES[r.nextInt(PHRASES.length)]);
            } else if (u < 0.60) {
                q = "q=" + enc(BOOLEANS[r.nextInt(BOOLEANS.length)]);
            } else if (u < 0.80) {
                q = "q=" + enc(TERMS[r.nextInt(TERMS.length)]) + "&" + filter(r);
            } else {
                q = filter(r) + (r.nextBoolean() ? "&" + filter(r) : "");
            }
            if (r.nextDouble() < 0.1) {
                q += "&sort=" + (r.nextBoolean() ? "length" : "turns");
            }
            out.add(q + "&limit=20");
        }
        return out;
    }

    private static String filter(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> "model=" + enc(MODELS[r.nextInt(MODELS.length)]);
            case 1 -> "language=" + enc(LANGUAGES[r.nextInt(LANGUAGES.length)]);
            case 2 -> "flagged=" + r.nextBoolean();
            default -> "redacted=true";
        };
    }

    /** Closed loop: each client sends the next query when its previous answer is in; stops when the list is done. */
    private static Timed run(HttpClient http, String base, List<String> queries, int clients) throws InterruptedException {
        long start = System.nanoTime();
        long[] lat = new long[queries.size()];
        AtomicInteger next = new AtomicInteger();
        Thread[] threads = new Thread[clients];
        PrintStream err = System.err;
        for (int c = 0; c < clients; c++) {
            threads[c] = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < queries.size()) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + queries.get(i))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            err.println("HTTP " + r.statusCode() + " for " + queries.get(i) + ": " + r.body());
                        }
                    } catch (Exception e) {
                        err.println("failed " + queries.get(i) + ": " + e);
                    }
                    lat[i] = System.nanoTime() - s;
                }
            });
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Timed(lat, (System.nanoTime() - start) / 1e9);
    }

    private static void delete(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
