package org.chatcorpus.bench.judge;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.usecases.judge.JudgeClient;
import org.chatcorpus.usecases.judge.JudgePrompts;
import org.chatcorpus.usecases.judge.JudgeReplies;

/**
 * Judge throughput against a loopback judge: single-answer judgments (single-v1 prompt, "[[N]]"
 * reply read back) through the judge verbs' client ({@link JudgeClient}: llm's ModelCalls, reply
 * cache on disk, retries) with 1, 8 and 32 in flight, each level on a fresh cache and distinct
 * questions so every judgment is a real request; then the 32-in-flight run again on its own cache
 * (a rerun) and its time as a ratio to the first.
 *
 * <p>The judge answers after {@code latencyMs} (a remote API's think time; 0 measures the client's
 * and the loopback server's own cost). The peer, measured in the same run against the same server
 * at the same levels, is the bare JDK HttpClient posting the same bodies from as many threads with
 * nothing else (no prompt rendering, cache, reply parsing or accounting): the ratio is what the judge
 * client costs on top of HTTP.
 *
 * <p>Usage: {@code JudgeThroughputBench [latencyMs=50] [requestsPerLevel=400]}
 */
public final class JudgeThroughputBench {
    public static void main(String[] args) throws Exception {
        int latencyMs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        // The JDK server leaves Nagle on by default: its header and body writes would then wait out
        // the client's delayed ACK (~40 ms a response), which is the test server's cost, not the client's.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        AtomicInteger served = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        server.setExecutor(pool);
        byte[] reply = ("{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + "\"The answer is accurate and well organised. Rating: [[7]]\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":180,\"completion_tokens\":12}}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/v1/chat/completions", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                if (latencyMs > 0) {
                    Thread.sleep(latencyMs);
                }
                served.incrementAndGet();
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, reply.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(reply);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        ModelEndpoint judge = ModelEndpoint.parseJudge("loopback-judge@http://127.0.0.1:" + server.getAddress().getPort() + "/v1", null);
        Path work = Files.createTempDirectory("judge-bench");
        System.out.printf(Locale.ROOT, "judge latency %d ms, %d judgments per level%n", latencyMs, requests);
        System.out.printf(Locale.ROOT, "%-10s %10s %12s %16s %8s%n", "in flight", "seconds", "requests/s", "bare JDK req/s", "ratio");
        double firstAt32 = 0;
        Path cacheAt32 = null;
        try {
            for (int inFlight : new int[] {1, 8, 32}) {
                Path cache = work.resolve("level-" + inFlight).resolve(JudgeClient.CACHE_FILE);
                int before = served.get();
                double secs = judgeAll(judge, cache, inFlight, requests, "level " + inFlight);
                int made = served.get() - before;
                double bare = bareClient(judge, inFlight, requests);
                System.out.printf(Locale.ROOT, "%-10d %10.2f %12.1f %16.1f %8.2f%n", inFlight, secs, made / secs, bare, made / secs / bare);
                if (made != requests) {
                    throw new IllegalStateException("expected " + requests + " requests at " + inFlight + " in flight, the judge saw " + made);
                }
                if (inFlight == 32) {
                    firstAt32 = secs;
                    cacheAt32 = cache;
                }
            }
            int before = served.get();
            double rerun = judgeAll(judge, cacheAt32, 32, requests, "rerun");
            System.out.printf(Locale.ROOT, "cached rerun at 32 in flight: %.3f s, %d requests, %.4f of the first run's time (%.0fx faster)%n",
                    rerun, served.get() - before, rerun / firstAt32, firstAt32 / rerun);
        } finally {
            server.stop(0);
            pool.shutdownNow();
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Judges {@code n} distinct question/answer pairs; returns the wall time in seconds. */
    private static double judgeAll(ModelEndpoint judge, Path cache, int inFlight, int n, String label) throws Exception {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(i);
        }
        long t0 = System.nanoTime();
        try (JudgeClient client = JudgeClient.open(cache, inFlight, 0)) {
            var outcomes = client.map(items, label, i -> client.judge(judge, JudgePrompts.get(JudgePrompts.SINGLE),
                    Map.of("question", "Question " + i + ": explain how a hash map resolves collisions.",
                            "answer", "Answer " + i + ": by chaining entries in buckets or by probing for the next free slot."),
                    JudgeReplies::rating));
            if (outcomes.stream().anyMatch(o -> !o.ok() || !o.value().ok())) {
                throw new IllegalStateException("a judgment failed: " + outcomes.stream().filter(o -> !o.ok() || !o.value().ok()).findFirst());
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The peer: the JDK HttpClient alone, {@code inFlight} threads posting {@code n} request bodies; returns requests/s. */
    private static double bareClient(ModelEndpoint judge, int inFlight, int n) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().build();
        java.net.URI uri = java.net.URI.create(judge.baseUrl() + "/chat/completions");
        ExecutorService threads = Executors.newFixedThreadPool(inFlight);
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < inFlight; t++) {
            done.add(threads.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < n; ) {
                    String body = "{\"model\":\"loopback-judge\",\"messages\":[{\"role\":\"user\",\"content\":\"Question " + i + "\"}]}";
                    http.send(java.net.http.HttpRequest.newBuilder(uri).version(java.net.http.HttpClient.Version.HTTP_1_1)
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                }
                return null;
            }));
        }
        for (var f : done) {
            f.get();
        }
        threads.shutdown();
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
