package org.chatcorpus.bench.arena;

import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ChatRequest;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.llm.ModelError;
import org.chatcorpus.llm.RetryPolicy;
import org.chatcorpus.server.arena.ArenaApp;
import org.chatcorpus.server.arena.ArenaConfig;
import org.chatcorpus.server.arena.ArenaService;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Arena as users meet it: N concurrent chats, each answered by a model that streams at its own
 * pace between 30 and 100 tokens/s, for D seconds. Every token the model writes carries the time it
 * was written, so the load generator (the "browsers") knows each token's delay from the model's
 * write to its own read. The named peer is the same load read straight from the model: the
 * difference is the latency the Arena (its model client, its handler, its SSE writer) adds to
 * every token. Also reported, with all N streams open: the process's live threads and its heap
 * after a full GC, and the CPU time per token.
 *
 * <p>A middle phase puts the Arena's model client ({@link ChatClient}) alone in the browsers' place,
 * so the client's own share shows beside the blocking peer.
 *
 * <p>The paced model is served here by Jetty (a thread per stream), identical in every run, so
 * that runs of different Arena builds compare only the Arena.
 *
 * <p>Usage: ArenaStreamBench [streams] [seconds]
 */
public final class ArenaStreamBench {
    private static final long EPOCH = System.nanoTime();
    private static final int TOKENS_PER_ANSWER = 64;
    private static final int WARMUP_SECONDS = 3;
    private static final Pattern RATE = Pattern.compile("rate (\\d+)");

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Javalin model = pacedModel(streams);
        try {
            String modelBase = "http://127.0.0.1:" + model.port() + "/v1";
            Phase direct = new Phase("direct to the model (peer)", streams, seconds);
            direct.run(u -> new DirectUser(modelBase + "/chat/completions", rate(u, streams)));
            Thread.sleep(2_000);
            // The Arena's model client alone, in the browsers' place: what it adds without the Arena around it.
            Phase client = new Phase("llm ChatClient, no Arena", streams, seconds);
            try (ChatClient chat = new ChatClient(Duration.ofSeconds(60), RetryPolicy.NONE)) {
                ModelEndpoint m = new ModelEndpoint("m", modelBase, null, null, 0.7, TOKENS_PER_ANSWER);
                client.run(u -> new ClientUser(chat, m, rate(u, streams)));
            }
            Thread.sleep(2_000);
            Path data = Files.createTempDirectory("arena-stream-bench");
            ArenaConfig cfg = ArenaConfig.defaults().withDataDir(data.toString())
                    .withModels(ArenaConfig.scriptedModels(modelBase))
                    .withLimits(new ArenaConfig.Limits(10_000_000, 16_000, 1_000_000));
            Phase arena = new Phase("through the Arena", streams, seconds);
            try (ArenaApp app = ArenaApp.start(ArenaService.open(cfg), "127.0.0.1", 0)) {
                String base = "http://127.0.0.1:" + app.port();
                System.err.println("arena phase");
                arena.run(u -> new ArenaUser(base, rate(u, streams)));
            }
            System.out.printf(Locale.ROOT, "%d streams at 30-100 tokens/s, %d s measured after %d s warm-up; %d cores%n",
                    streams, seconds, WARMUP_SECONDS, Runtime.getRuntime().availableProcessors());
            direct.print();
            client.print();
            arena.print();
            System.out.printf(Locale.ROOT, "added by the llm client alone per token: p50 %.2f ms, p99 %.2f ms; threads +%d; CPU per token +%.1f µs%n",
                    client.p(50) - direct.p(50), client.p(99) - direct.p(99), client.threads - direct.threads,
                    client.cpuMicrosPerToken() - direct.cpuMicrosPerToken());
            System.out.printf(Locale.ROOT, "added by the Arena per token: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms; "
                            + "threads +%d; heap after GC +%.1f MiB; CPU per token +%.1f µs%n",
                    arena.p(50) - direct.p(50), arena.p(99) - direct.p(99), arena.p(99.9) - direct.p(99.9),
                    arena.threads - direct.threads, (arena.heapBytes - direct.heapBytes) / 1048576.0,
                    arena.cpuMicrosPerToken() - direct.cpuMicrosPerToken());
        } finally {
            model.stop();
        }
    }

    /** Streams spread evenly over 30..100 tokens/s. */
    private static int rate(int user, int streams) {
        return streams == 1 ? 65 : 30 + user * 70 / (streams - 1);
    }

    /** A model that streams TOKENS_PER_ANSWER tokens at the "rate N" its last prompt asks for, each token being its write time. */
    private static Javalin pacedModel(int streams) {
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.disableCompression();
            cfg.jetty.threadPool = new QueuedThreadPool(2 * streams + 64, 8);
        });
        app.post("/v1/chat/completions", ctx -> {
            Matcher m = RATE.matcher(ctx.body());
            int rate = 65;
            while (m.find()) {
                rate = Integer.parseInt(m.group(1));
            }
            long interval = 1_000_000_000L / rate;
            ctx.status(200);
            ctx.res().setContentType("text/event-stream");
            OutputStream out = ctx.res().getOutputStream();
            long next = System.nanoTime();
            for (int i = 0; i < TOKENS_PER_ANSWER; i++) {
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" t" + (System.nanoTime() - EPOCH) + "\"}}]}\n\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        });
        return app.start("127.0.0.1", 0);
    }

    /** One simulated user: asks, then reads the streamed answer line by line, handing each line on. */
    private interface User {
        void turn(int n, Recorder r) throws IOException;
    }

    /** Per-user latencies: each token's delay (ms) and each answer's time to its first token (ms). */
    static final class Recorder {
        double[] tokenMs = new double[1 << 14];
        int tokens;
        double[] firstMs = new double[256];
        int answers;
        volatile boolean recording;

        void line(String line, long askedAt, boolean[] first) {
            long now = System.nanoTime() - EPOCH;
            int i = 0;
            while ((i = line.indexOf(" t", i)) >= 0) {
                int j = i + 2;
                long t = 0;
                while (j < line.length() && Character.isDigit(line.charAt(j))) {
                    t = t * 10 + (line.charAt(j) - '0');
                    j++;
                }
                if (j > i + 2 && recording) {
                    if (tokens == tokenMs.length) {
                        tokenMs = Arrays.copyOf(tokenMs, tokens * 2);
                    }
                    tokenMs[tokens++] = (now - t) / 1e6;
                    if (first[0]) {
                        if (answers == firstMs.length) {
                            firstMs = Arrays.copyOf(firstMs, answers * 2);
                        }
                        firstMs[answers++] = (now + EPOCH - askedAt) / 1e6;
                    }
                }
                first[0] = false;
                i = j;
            }
        }
    }

    private static String read(HttpURLConnection c, String prefix, Recorder r, long askedAt) throws IOException {
        if (c.getResponseCode() != 200) {
            throw new IOException("HTTP " + c.getResponseCode() + " from " + c.getURL());
        }
        boolean[] first = {true};
        String last = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    r.line(line, askedAt, first);
                } else if (!line.isEmpty()) {
                    last = line;
                }
            }
        }
        return last;
    }

    private static HttpURLConnection post(String url, String body, String cookie) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setInstanceFollowRedirects(false);
        c.setRequestProperty("Content-Type", "application/json");
        if (cookie != null) {
            c.setRequestProperty("Cookie", cookie);
        }
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        return c;
    }

    record DirectUser(String url, int rate) implements User {
        @Override
        public void turn(int n, Recorder r) throws IOException {
            long asked = System.nanoTime();
            read(post(url, "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"rate " + rate + "\"}]}", null),
                    "data: {\"choices\"", r, asked);
        }
    }

    record ClientUser(ChatClient chat, ModelEndpoint m, int rate) implements User {
        @Override
        public void turn(int n, Recorder r) throws IOException {
            long asked = System.nanoTime();
            boolean[] first = {true};
            try {
                chat.stream(m, ChatRequest.of(m, List.of(Message.user("rate " + rate))), d -> r.line(d, asked, first));
            } catch (ModelError e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    static final class ArenaUser implements User {
        private final String base;
        private final int rate;
        private String cookie;

        ArenaUser(String base, int rate) {
            this.base = base;
            this.rate = rate;
        }

        @Override
        public void turn(int n, Recorder r) throws IOException {
            if (cookie == null) {
                HttpURLConnection c = post(base + "/consent", "", null);
                c.getResponseCode();
                StringBuilder s = new StringBuilder();
                for (String sc : c.getHeaderFields().getOrDefault("Set-Cookie", List.of())) {
                    s.append(s.length() == 0 ? "" : "; ").append(sc.split(";", 2)[0].trim());
                }
                c.getInputStream().close();
                cookie = s.toString();
            }
            if (n % 3 == 0) {
                HttpURLConnection c = post(base + "/api/chat/new", "{}", cookie);
                c.getResponseCode();
                c.getInputStream().close();
            }
            long asked = System.nanoTime();
            String last = read(post(base + "/api/chat", "{\"model\":\"vicuna-13b\",\"prompt\":\"rate " + rate + "\"}", cookie),
                    "data: {\"delta\"", r, asked);
            if (last == null || !last.contains("\"done\":true") || last.contains("NETWORK ERROR")) {
                throw new IOException("the Arena did not finish the answer: " + last);
            }
        }
    }

    /** One phase: N users for warm-up + D seconds; then, with every stream still open, threads and heap. */
    static final class Phase {
        final String name;
        final int users;
        final int seconds;
        double[] tokenMs;
        double[] firstMs;
        int threads;
        long heapBytes;
        double cpuSeconds;
        int failures;

        Phase(String name, int users, int seconds) {
            this.name = name;
            this.users = users;
            this.seconds = seconds;
        }

        void run(java.util.function.IntFunction<User> make) throws Exception {
            AtomicBoolean stop = new AtomicBoolean();
            List<Recorder> recorders = new ArrayList<>();
            List<Thread> threadList = new ArrayList<>();
            int[] failed = new int[users];
            for (int u = 0; u < users; u++) {
                Recorder r = new Recorder();
                recorders.add(r);
                User user = make.apply(u);
                int id = u;
                Thread t = new Thread(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        try {
                            user.turn(n, r);
                        } catch (IOException e) {
                            failed[id]++;
                            if (failed[id] == 1) {
                                System.err.println("user " + id + ": " + e.getMessage());
                            }
                        }
                    }
                }, "user-" + u);
                threadList.add(t);
            }
            for (Thread t : threadList) {
                t.start();
                Thread.sleep(2); // a ramp, not a thundering herd of connects
            }
            Thread.sleep(WARMUP_SECONDS * 1000L);
            long cpu0 = cpuNanos();
            recorders.forEach(r -> r.recording = true);
            Thread.sleep(seconds * 1000L);
            recorders.forEach(r -> r.recording = false);
            cpuSeconds = (cpuNanos() - cpu0) / 1e9;
            ThreadMXBean tm = ManagementFactory.getThreadMXBean();
            threads = tm.getThreadCount();
            MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
            System.gc();
            heapBytes = mem.getHeapMemoryUsage().getUsed();
            stop.set(true);
            for (Thread t : threadList) {
                t.join();
            }
            tokenMs = recorders.stream().flatMapToDouble(r -> Arrays.stream(r.tokenMs, 0, r.tokens)).sorted().toArray();
            firstMs = recorders.stream().flatMapToDouble(r -> Arrays.stream(r.firstMs, 0, r.answers)).sorted().toArray();
            failures = Arrays.stream(failed).sum();
        }

        double p(double q) {
            return pct(tokenMs, q);
        }

        double cpuMicrosPerToken() {
            return cpuSeconds * 1e6 / tokenMs.length;
        }

        void print() {
            System.out.printf(Locale.ROOT, "%-28s %,9d tokens (%,.0f/s), %,d answers started; per token p50 %.2f ms, p99 %.2f ms, "
                            + "p99.9 %.2f ms, max %.1f ms; first token p50 %.1f ms, p99 %.1f ms; threads %d; heap after GC %.1f MiB; "
                            + "CPU %.1f µs/token; %d failed turns%n",
                    name, tokenMs.length, tokenMs.length / (double) seconds, firstMs.length, p(50), p(99), p(99.9),
                    tokenMs.length == 0 ? Double.NaN : tokenMs[tokenMs.length - 1], pct(firstMs, 50), pct(firstMs, 99),
                    threads, heapBytes / 1048576.0, cpuMicrosPerToken(), failures);
        }
    }

    private static double pct(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q / 100 * sorted.length))];
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
