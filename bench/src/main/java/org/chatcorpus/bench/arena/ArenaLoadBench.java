package org.chatcorpus.bench.arena;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.chatcorpus.server.arena.ArenaApp;
import org.chatcorpus.server.arena.ArenaConfig;
import org.chatcorpus.server.arena.ArenaService;
import org.chatcorpus.server.modelserver.ScriptedModelServer;

/**
 * Load on the Arena: C concurrent users (each its own session) send chat turns for D seconds and
 * then stop by themselves, starting a new conversation every 3 turns (LMSYS-Chat-1M averages 2
 * turns per conversation); every turn streams a scripted answer from the loopback model server
 * and is logged to the FastChat log and the embedded database. The named peer is the same load
 * generator sent straight to the model server (the cost of the model call alone), so the ratio
 * and the latency difference are what the Arena adds.
 *
 * <p>Usage: ArenaLoadBench [concurrency] [seconds]
 */
public final class ArenaLoadBench {
    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        try (ScriptedModelServer models = ScriptedModelServer.start(0, 0)) {
            Path data = Files.createTempDirectory("arena-bench");
            ArenaConfig cfg = ArenaConfig.defaults().withDataDir(data.toString())
                    .withModels(ArenaConfig.scriptedModels(models.baseUrl()))
                    .withLimits(new ArenaConfig.Limits(10_000_000, 16_000, 1_000_000));
            String modelBody = "{\"model\":\"vicuna-13b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"How do I bake bread?\"}]}";
            Result direct = run(users, seconds, models.baseUrl() + "/chat/completions", modelBody, null, null);
            Result arena;
            long logged;
            try (ArenaApp app = ArenaApp.start(ArenaService.open(cfg), "127.0.0.1", 0)) {
                String base = "http://127.0.0.1:" + app.port();
                arena = run(users, seconds, base + "/api/chat", "{\"model\":\"vicuna-13b\",\"prompt\":\"How do I bake bread?\"}",
                        base + "/consent", base + "/api/chat/new");
                logged = app.service().store().count("chat");
            }
            System.out.printf(Locale.ROOT, "direct to model server: %,.0f turns/s, p50 %.2f ms, p99 %.2f ms%n", direct.rate(), direct.p(50), direct.p(99));
            System.out.printf(Locale.ROOT, "through the Arena:      %,.0f turns/s, p50 %.2f ms, p99 %.2f ms (%,d chat events in the database)%n",
                    arena.rate(), arena.p(50), arena.p(99), logged);
            System.out.printf(Locale.ROOT, "ratio arena/direct throughput %.2f; added latency p50 %.2f ms, p99 %.2f ms%n",
                    arena.rate() / direct.rate(), arena.p(50) - direct.p(50), arena.p(99) - direct.p(99));
            System.out.printf(Locale.ROOT, "CPU per turn (whole process: load generator, Arena, model server): direct %.3f ms, through the Arena %.3f ms "
                    + "(%d cores: at most %,.0f turns/s at that cost)%n", direct.cpuMsPerTurn(), arena.cpuMsPerTurn(),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors() * 1000 / arena.cpuMsPerTurn());
        }
    }

    /**
     * @param cpuSeconds CPU time of the whole process (load generator, Arena, model server) over the
     *                   run: per turn, a figure far steadier than throughput on a shared VM, where
     *                   runs of the same build vary by a quarter
     */
    record Result(long turns, double seconds, double[] latenciesMs, double cpuSeconds) {
        double rate() {
            return turns / seconds;
        }

        double cpuMsPerTurn() {
            return turns == 0 ? Double.NaN : cpuSeconds * 1000 / turns;
        }

        double p(double q) {
            if (latenciesMs.length == 0) {
                return Double.NaN;
            }
            return latenciesMs[(int) Math.min(latenciesMs.length - 1, Math.floor(q / 100 * latenciesMs.length))];
        }
    }

    private static Result run(int users, int seconds, String url, String body, String consentUrl, String newChatUrl) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        List<double[]> perUser = new ArrayList<>();
        long[] counts = new long[users];
        for (int u = 0; u < users; u++) {
            int id = u;
            double[][] lat = {new double[1 << 16]};
            perUser.add(null);
            Thread t = new Thread(() -> {
                // HTTP/1.1 with keep-alive over the JDK's client, as the Arena's own model calls.
                Client client = new Client(http);
                int n = 0;
                try {
                    if (consentUrl != null) {
                        client.consent(consentUrl);
                    }
                    while (!stop.get()) {
                        if (newChatUrl != null && n % 3 == 0) {
                            client.post(newChatUrl, "{}");
                        }
                        long s = System.nanoTime();
                        String r = client.post(url, body);
                        if (!r.contains("[DONE]") && !r.contains("\"done\":true")) {
                            throw new IllegalStateException("unexpected answer: " + r);
                        }
                        if (n == lat[0].length) {
                            lat[0] = Arrays.copyOf(lat[0], n * 2);
                        }
                        lat[0][n++] = (System.nanoTime() - s) / 1e6;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                counts[id] = n;
                synchronized (perUser) {
                    perUser.set(id, Arrays.copyOf(lat[0], n));
                }
            });
            threads.add(t);
        }
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        threads.forEach(Thread::start);
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpuStart) / 1e9;
        double[] all = perUser.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        return new Result(Arrays.stream(counts).sum(), elapsed, all, cpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One simulated user's HTTP client: takes its session cookie from the consent, reads whole responses. */
    static final class Client {
        private final java.net.http.HttpClient http;
        private String cookie;

        Client(java.net.http.HttpClient http) {
            this.http = http;
        }

        /** Accepts the terms; later calls send the session cookie it set. */
        void consent(String url) throws Exception {
            var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(url)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            StringBuilder c = new StringBuilder();
            for (String sc : r.headers().allValues("Set-Cookie")) {
                c.append(c.length() == 0 ? "" : "; ").append(sc.split(";", 2)[0].trim());
            }
            if (r.statusCode() >= 400 || c.length() == 0) {
                throw new IllegalStateException("HTTP " + r.statusCode() + " from " + url + " without a session cookie");
            }
            cookie = c.toString();
        }

        String post(String url, String body) throws Exception {
            var b = java.net.http.HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            var r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 400) {
                throw new IllegalStateException("HTTP " + r.statusCode() + " from " + url + ": " + r.body());
            }
            return r.body();
        }
    }
}
