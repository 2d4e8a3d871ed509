package org.chatcorpus.bench.hub;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.chatcorpus.core.io.hub.HubCache;
import org.chatcorpus.core.io.hub.HubClient;
import org.chatcorpus.core.io.hub.HubPull;

/**
 * {@code pull} from a loopback Hub against {@code curl} fetching the same files, and the cost of
 * resuming a cut download.
 *
 * <p>The bench serves the files of the given folders as one gated dataset repository the way the
 * Hugging Face Hub does: the tree listing paged by {@code Link} headers, {@code resolve} answering
 * LFS files with a 302 (X-Repo-Commit, X-Linked-Etag = sha256, X-Linked-Size) to a CDN on another
 * host name ("localhost" instead of "127.0.0.1"), and the CDN serving the bytes with Range
 * support through Jetty's resource handler (Javalin static files). A fault injector on the CDN
 * cuts chosen downloads after half of what they asked for.
 *
 * <p>Rounds, alternating: {@code HubPull} (the pull verb's code: parallel downloads, sha256 check,
 * huggingface_hub cache layout) into a fresh cache; {@code curl -sfL} of the same resolve URLs with
 * {@code xargs -P THREADS}, then the same plus {@code sha256sum} of every file. Then resume: one
 * large file pulled clean; pulled with one cut at half (resumed in the same pull); pulled with every
 * attempt cut (the pull fails) and pulled again. Bytes are counted on the CDN side.
 *
 * <p>Usage: PullBench WORK_DIR [threads=8] [rounds=2] DATA_DIR...
 */
public final class PullBench {
    static final String REPO = "bench/release";
    static final String TOKEN = "hf_bench";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    record Served(String path, Path file, long size, String sha256) {
    }

    private final Map<String, Served> files = new LinkedHashMap<>();
    private final Map<String, Served> bySha = new ConcurrentHashMap<>();
    /** Downloads of these shas (repo paths' sha256) still to cut, by count. */
    final Map<String, Integer> cuts = new ConcurrentHashMap<>();
    final AtomicLong cdnBytes = new AtomicLong();
    private Javalin hub;
    private Javalin cdn;

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        List<Path> dirs = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            dirs.add(Path.of(args[i]));
        }
        PullBench b = new PullBench();
        b.start(work, dirs);
        try {
            b.run(work, threads, rounds);
        } finally {
            b.stop();
        }
    }

    void start(Path work, List<Path> dirs) throws Exception {
        Path blobs = work.resolve("cdn-blobs");
        deleteTree(blobs);
        Files.createDirectories(blobs);
        for (Path d : dirs) {
            try (Stream<Path> s = Files.list(d)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    String sha = sha256(f);
                    Served sv = new Served("data/" + f.getFileName(), f, Files.size(f), sha);
                    if (files.containsKey(sv.path())) {
                        throw new IllegalArgumentException("two files named " + f.getFileName());
                    }
                    files.put(sv.path(), sv);
                    bySha.put(sha, sv);
                    Path link = blobs.resolve(sha);
                    if (!Files.exists(link)) {
                        Files.createLink(link, f); // same bytes, no copy; Jetty serves it as a plain file
                    }
                }
            }
        }
        cdn = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/blobs";
                sf.directory = blobs.toString();
                sf.location = Location.EXTERNAL;
            });
        });
        cdn.before("/blobs/{sha}", this::cdnBefore);
        cdn.start("127.0.0.1", 0);
        hub = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        hub.before(ctx -> {
            if (!("Bearer " + TOKEN).equals(ctx.header("Authorization"))) {
                ctx.header("X-Error-Code", "GatedRepo").status(401).result("gated");
                ctx.skipRemainingHandlers();
            }
        });
        hub.get("/api/datasets/{owner}/{name}/tree/{rev}", this::tree);
        hub.head("/datasets/{owner}/{name}/resolve/{rev}/<path>", this::resolve);
        hub.get("/datasets/{owner}/{name}/resolve/{rev}/<path>", this::resolve);
        hub.start("127.0.0.1", 0);
        long total = files.values().stream().mapToLong(Served::size).sum();
        System.out.printf(Locale.ROOT, "serving %d files, %.2f GB, hub %s, cdn http://localhost:%d; load average %.2f%n", files.size(),
                total / 1e9, endpoint(), cdn.port(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    String endpoint() {
        return "http://127.0.0.1:" + hub.port();
    }

    private void tree(Context ctx) {
        int cursor = ctx.queryParam("cursor") == null ? 0 : Integer.parseInt(ctx.queryParam("cursor"));
        List<Served> all = new ArrayList<>(files.values());
        int end = Math.min(all.size(), cursor + 3); // small pages, so the listing's paging is exercised
        StringBuilder json = new StringBuilder("[");
        for (int i = cursor; i < end; i++) {
            Served f = all.get(i);
            json.append(i > cursor ? "," : "").append("{\"type\":\"file\",\"oid\":\"").append(f.sha256(), 0, 40)
                    .append("\",\"size\":134,\"path\":\"").append(f.path()).append("\",\"lfs\":{\"oid\":\"").append(f.sha256())
                    .append("\",\"size\":").append(f.size()).append(",\"pointerSize\":134}}");
        }
        json.append(']');
        if (end < all.size()) {
            ctx.header("Link", "</api/datasets/" + REPO + "/tree/main?recursive=true&cursor=" + end + ">; rel=\"next\"");
        }
        ctx.contentType("application/json").result(json.toString());
    }

    private void resolve(Context ctx) {
        Served f = files.get(ctx.pathParam("path"));
        if (f == null) {
            ctx.header("X-Error-Code", "EntryNotFound").status(404);
            return;
        }
        ctx.header("X-Repo-Commit", COMMIT).header("X-Linked-Etag", "\"" + f.sha256() + "\"")
                .header("X-Linked-Size", String.valueOf(f.size())).header("ETag", "\"" + f.sha256().substring(0, 40) + "\"")
                .header("Location", "http://localhost:" + cdn.port() + "/blobs/" + f.sha256()).status(302);
    }

    /** The fault injector: a download chosen to be cut gets half of what it asked for, then the connection drops. */
    private void cdnBefore(Context ctx) throws IOException {
        if (ctx.header("Authorization") != null) {
            ctx.status(400).result("the token must not reach the CDN");
            ctx.skipRemainingHandlers();
            return;
        }
        String sha = ctx.pathParam("sha");
        Served f = bySha.get(sha);
        if (f == null || !ctx.method().name().equals("GET")) {
            return;
        }
        // Only "bytes=N-" is asked for by the clients measured here.
        String range = ctx.header("Range");
        long from = range == null ? 0 : Long.parseLong(range.replaceAll("bytes=(\\d+)-.*", "$1"));
        long length = f.size() - from;
        if (cuts.computeIfPresent(sha, (k, n) -> n - 1) == null) {
            cdnBytes.addAndGet(length); // what Jetty's resource handler is about to send
            return;
        }
        cuts.remove(sha, 0);
        ctx.status(range == null ? 200 : 206);
        if (range != null) {
            ctx.header("Content-Range", "bytes " + from + "-" + (f.size() - 1) + "/" + f.size());
        }
        ctx.res().setContentLengthLong(length);
        OutputStream out = ctx.res().getOutputStream();
        try (InputStream in = Files.newInputStream(f.file())) {
            in.skipNBytes(from);
            byte[] buf = new byte[1 << 16];
            long left = length / 2;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                out.write(buf, 0, n);
                left -= n;
            }
        }
        out.flush();
        cdnBytes.addAndGet(length / 2);
        // Fewer bytes than Content-Length, then the connection goes: the client sees a cut transfer.
        org.eclipse.jetty.server.Request.getBaseRequest(ctx.req()).getHttpChannel().abort(new IOException("cut by the bench"));
        ctx.skipRemainingHandlers();
    }

    void run(Path work, int threads, int rounds) throws Exception {
        long total = files.values().stream().mapToLong(Served::size).sum();
        Path cache = work.resolve("hub-cache");
        Path curlOut = work.resolve("curl-out");
        for (int r = 1; r <= rounds; r++) {
            deleteTree(cache);
            cdnBytes.set(0);
            long s = System.nanoTime();
            HubPull.Result res = new HubPull(new HubClient(endpoint(), TOKEN), new HubCache(cache), threads).pull(REPO, "main", List.of());
            double pull = (System.nanoTime() - s) / 1e9;
            if (res.downloaded() != files.size()) {
                throw new IllegalStateException("pull downloaded " + res.downloaded() + " of " + files.size());
            }
            System.out.printf(Locale.ROOT, "round %d: pull (%d threads, sha256 checked): %.1f s = %.0f MB/s (CDN sent %.2f GB)%n", r, threads,
                    pull, total / 1e6 / pull, cdnBytes.get() / 1e9);
            deleteTree(cache);

            deleteTree(curlOut);
            Files.createDirectories(curlOut);
            double curl = curl(curlOut, threads);
            System.out.printf(Locale.ROOT, "round %d: curl -sfL, xargs -P %d: %.1f s = %.0f MB/s; pull/curl time %.2fx%n", r, threads, curl,
                    total / 1e6 / curl, pull / curl);
            deleteTree(curlOut);
            Files.createDirectories(curlOut);
            double curlSha = curl(curlOut, threads) + sha256sum(curlOut, threads);
            System.out.printf(Locale.ROOT, "round %d: curl + sha256sum (xargs -P %d): %.1f s = %.0f MB/s; pull/(curl+sha256sum) time %.2fx%n",
                    r, threads, curlSha, total / 1e6 / curlSha, pull / curlSha);
            deleteTree(curlOut);
        }

        Served big = files.values().stream().max(Comparator.comparingLong(Served::size)).orElseThrow();
        List<String> one = List.of(big.path());
        System.out.printf(Locale.ROOT, "resume: %s, %.0f MB%n", big.path(), big.size() / 1e6);
        double clean = pullOne(cache, one, 0, "clean");
        double cutOnce = pullOne(cache, one, 1, "cut once at half, resumed in the same pull");
        System.out.printf(Locale.ROOT, "resume: cut-once pull takes %.2fx the clean pull%n", cutOnce / clean);
        deleteTree(cache);
        cuts.put(big.sha256(), 5);
        cdnBytes.set(0);
        long s = System.nanoTime();
        String failure = "";
        try {
            new HubPull(new HubClient(endpoint(), TOKEN), new HubCache(cache), threads).pull(REPO, "main", one);
        } catch (IOException e) {
            failure = e.getMessage();
        }
        double failed = (System.nanoTime() - s) / 1e9;
        long firstBytes = cdnBytes.getAndSet(0);
        s = System.nanoTime();
        new HubPull(new HubClient(endpoint(), TOKEN), new HubCache(cache), threads).pull(REPO, "main", one);
        double again = (System.nanoTime() - s) / 1e9;
        long againBytes = cdnBytes.get();
        System.out.printf(Locale.ROOT, "resume: every attempt cut: first pull failed after %.1f s with %.0f MB on disk (\"%s\");"
                + " pull again: %.1f s, %.0f MB sent = the %.0f MB missing (re-downloaded %d bytes), %.2fx the clean pull's time%n",
                failed, firstBytes / 1e6, failure.length() > 90 ? failure.substring(0, 90) + "…" : failure, again, againBytes / 1e6,
                (big.size() - firstBytes) / 1e6, firstBytes + againBytes - big.size(), again / clean);
        deleteTree(cache);
        System.out.printf(Locale.ROOT, "load average at the end %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private double pullOne(Path cache, List<String> include, int cutCount, String what) throws IOException {
        deleteTree(cache);
        Served f = files.get(include.get(0));
        if (cutCount > 0) {
            cuts.put(f.sha256(), cutCount);
        }
        cdnBytes.set(0);
        long s = System.nanoTime();
        new HubPull(new HubClient(endpoint(), TOKEN), new HubCache(cache), 1).pull(REPO, "main", include);
        double t = (System.nanoTime() - s) / 1e9;
        System.out.printf(Locale.ROOT, "resume: pull %s: %.1f s, CDN sent %.0f MB (re-downloaded %d bytes)%n", what, t, cdnBytes.get() / 1e6,
                cdnBytes.get() - f.size());
        return t;
    }

    /** curl of every resolve URL into {@code out}, {@code threads} at once; the token goes to the Hub only (curl drops it on the cross-host redirect). */
    private double curl(Path out, int threads) throws Exception {
        StringBuilder urls = new StringBuilder();
        for (Served f : files.values()) {
            urls.append(endpoint()).append("/datasets/").append(REPO).append("/resolve/main/").append(f.path()).append('\n');
        }
        return shell(urls.toString(), "xargs -P " + threads + " -n 1 curl -sfL -H 'Authorization: Bearer " + TOKEN + "' --output-dir "
                + out + " -O");
    }

    private double sha256sum(Path out, int threads) throws Exception {
        StringBuilder names = new StringBuilder();
        for (Served f : files.values()) {
            names.append(out.resolve(Path.of(f.path()).getFileName())).append('\n');
        }
        return shell(names.toString(), "xargs -P " + threads + " -n 1 sha256sum > /dev/null");
    }

    private static double shell(String stdin, String command) throws Exception {
        long s = System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream o = p.getOutputStream()) {
            o.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed with " + p.exitValue());
        }
        return (System.nanoTime() - s) / 1e9;
    }

    static String sha256(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    void stop() {
        hub.stop();
        cdn.stop();
    }
}
