package org.chatcorpus.bench.arena;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.chatcorpus.server.arena.ArenaApp;
import org.chatcorpus.server.arena.ArenaConfig;
import org.chatcorpus.server.arena.ArenaService;
import org.chatcorpus.server.modelserver.ScriptedModelServer;

/**
 * Flood against the Arena: a few paced users (each from its own loopback address) chat while one
 * flooding client (127.0.0.2, several threads) sends cookie-less chats and votes, new consents, and
 * chats from the sessions it got, as fast as it can. Prints the flood's answered requests per second
 * by status, and the users' latency alone and under the flood (the peer: the same users without
 * it); any failed user request or lost session aborts the run.
 *
 * <pre>bench/run.sh org.chatcorpus.bench.arena.ArenaFloodBench [USERS] [SECONDS] [FLOOD_THREADS]</pre>
 */
public final class ArenaFloodBench {
    private ArenaFloodBench() {
    }

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int floodThreads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        try (ScriptedModelServer models = ScriptedModelServer.start(0, 0)) {
            Path data = Files.createTempDirectory("arena-flood");
            // 600 messages a minute per session (the users chat 5 times a second), 6,000 per address.
            ArenaConfig cfg = ArenaConfig.defaults().withDataDir(data.toString())
                    .withModels(ArenaConfig.scriptedModels(models.baseUrl()))
                    .withLimits(new ArenaConfig.Limits(600, 16_000, 1_000_000, 6_000, 10, 100_000, 30));
            try (ArenaApp app = ArenaApp.start(ArenaService.open(cfg), "127.0.0.1", 0)) {
                int port = app.port();
                double[] alone = users(port, users, seconds, null);
                Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
                long start = System.nanoTime();
                double[] flooded = users(port, users, seconds, () -> flood(port, floodThreads, statuses));
                double floodSeconds = (System.nanoTime() - start) / 1e9;
                long total = statuses.values().stream().mapToLong(AtomicLong::get).sum();
                Map<Integer, Long> byStatus = new TreeMap<>();
                statuses.forEach((k, v) -> byStatus.put(k, v.get()));
                System.out.printf(Locale.ROOT, "flood: %,d requests answered in %.1f s = %,.0f requests/s from one address (%d threads); by status %s%n",
                        total, floodSeconds, total / floodSeconds, floodThreads, byStatus);
                System.out.printf(Locale.ROOT, "users alone:       %,d turns, p50 %.2f ms, p99 %.2f ms%n", alone.length, p(alone, 50), p(alone, 99));
                System.out.printf(Locale.ROOT, "users under flood: %,d turns, p50 %.2f ms, p99 %.2f ms (p50 ratio %.2f, p99 ratio %.2f); 0 failed, 0 sessions lost%n",
                        flooded.length, p(flooded, 50), p(flooded, 99), p(flooded, 50) / p(alone, 50), p(flooded, 99) / p(alone, 99));
            }
        }
    }

    private interface Flood {
        AutoCloseable start();
    }

    /** Paced users (5 turns a second each) for the given time, with the flood running if given; their latencies. */
    private static double[] users(int port, int users, int seconds, Flood flood) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<double[]> lat = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String from = "127.0.1." + (u + 1);
            Thread t = new Thread(() -> {
                double[] mine = new double[1 << 12];
                int n = 0;
                try {
                    RawClient c = new RawClient(from, port);
                    c.send("POST", "/consent", null);
                    String cookie = c.cookie;
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        if (n % 3 == 0) {
                            c.expect(200, c.send("POST", "/api/chat/new", "{}"));
                        }
                        c.expect(200, c.send("POST", "/api/chat", "{\"model\":\"vicuna-13b\",\"prompt\":\"How do I bake bread?\"}"));
                        if (!cookie.equals(c.cookie)) {
                            throw new IllegalStateException("user " + from + " lost its session");
                        }
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = (System.nanoTime() - t0) / 1e6;
                        Thread.sleep(Math.max(0, 200 - (System.nanoTime() - t0) / 1_000_000));
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
                synchronized (lat) {
                    lat.add(Arrays.copyOf(mine, n));
                }
            });
            threads.add(t);
        }
        threads.forEach(Thread::start);
        try (AutoCloseable f = flood == null ? () -> { } : flood.start()) {
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a user's request failed under the flood", failures.get(0));
        }
        return lat.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
    }

    /** Starts the flooding threads; closing stops them. */
    private static AutoCloseable flood(int port, int threads, Map<Integer, AtomicLong> statuses) {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    RawClient withSession = new RawClient("127.0.0.2", port);
                    withSession.send("POST", "/consent", null);
                    RawClient stranger = new RawClient("127.0.0.2", port);
                    for (long k = 0; !stop.get(); k++) {
                        int status = switch ((int) (k % 4)) {
                            case 0 -> stranger.send("POST", "/api/chat", "{\"model\":\"vicuna-13b\",\"prompt\":\"flood\"}").status;
                            case 1 -> stranger.send("POST", "/api/chat/vote", "{\"type\":\"upvote\"}").status;
                            case 2 -> new RawClient("127.0.0.2", port).send("POST", "/consent", null).status; // a new session each time
                            default -> withSession.send("POST", "/api/chat", "{\"model\":\"vicuna-13b\",\"prompt\":\"flood\"}").status;
                        };
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            all.add(t);
        }
        return () -> {
            stop.set(true);
            for (Thread t : all) {
                t.join();
            }
        };
    }

    private static double p(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q / 100 * sorted.length))];
    }

    /** HTTP/1.0, one connection per request from a chosen loopback address; keeps the session cookie. */
    static final class RawClient {
        record Answer(int status, String body) {
        }

        private final InetAddress from;
        private final int port;
        String cookie;

        RawClient(String from, int port) throws IOException {
            this.from = InetAddress.getByName(from);
            this.port = port;
        }

        void expect(int status, Answer a) {
            if (a.status != status || (a.body.startsWith("data:") && !a.body.contains("\"done\":true"))) {
                throw new IllegalStateException("HTTP " + a.status + ": " + a.body);
            }
        }

        Answer send(String method, String path, String json) throws IOException {
            try (Socket s = new Socket()) {
                s.setSoLinger(true, 0); // no TIME_WAIT per request: the flood opens thousands of connections
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
                String head = method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\n"
                        + (json == null ? "" : "Content-Type: application/json\r\n")
                        + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                        + "Content-Length: " + body.length + "\r\n\r\n";
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int split = text.indexOf("\r\n\r\n");
                String headers = split < 0 ? text : text.substring(0, split);
                for (String line : headers.split("\r\n")) {
                    if (line.regionMatches(true, 0, "Set-Cookie: arena_session=", 0, 26)) {
                        cookie = line.substring(12).split(";", 2)[0];
                    }
                }
                return new Answer(Integer.parseInt(headers.split(" ", 3)[1]), split < 0 ? "" : text.substring(split + 4));
            }
        }
    }
}
