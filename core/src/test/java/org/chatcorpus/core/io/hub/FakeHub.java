package org.chatcorpus.core.io.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for the Hugging Face Hub and its CDN that behaves as the real ones do where a
 * client can get it wrong: a gated repository (401 + X-Error-Code: GatedRepo without the token),
 * a tree listing paged by Link headers, LFS files answered by a 302 to another host (the CDN, which
 * refuses any request carrying the token), and a connection cut in the middle of a file once.
 */
public final class FakeHub implements AutoCloseable {
    public static final String REPO = "lmsys/lmsys-chat-1m";
    public static final String TOKEN = "hf_secret";
    public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    record File(String path, byte[] bytes, boolean lfs) {
        String etag() {
            return lfs ? hex("SHA-256", bytes) : hex("SHA-1", bytes);
        }
    }

    final Map<String, File> files = new LinkedHashMap<>();
    public final AtomicInteger cdnGets = new AtomicInteger();
    final AtomicInteger tokenLeaks = new AtomicInteger();
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final Set<String> cutOnce = ConcurrentHashMap.newKeySet();
    final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    volatile boolean gated = true;
    private final HttpServer hub;
    private final HttpServer cdn;

    public FakeHub() throws IOException {
        Random r = new Random(7);
        add("README.md", "# LMSYS-Chat-1M\n".getBytes(StandardCharsets.UTF_8), false);
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[200_000 + i * 1000];
            r.nextBytes(b);
            add("data/train-0000" + i + "-of-00003.parquet", b, true);
        }
        add("data/notes.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), false);
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.setExecutor(Executors.newCachedThreadPool());
        cdn.setExecutor(Executors.newCachedThreadPool());
        hub.createContext("/", this::hub);
        cdn.createContext("/", this::cdn);
        hub.start();
        cdn.start();
    }

    private void add(String path, byte[] bytes, boolean lfs) {
        files.put(path, new File(path, bytes, lfs));
    }

    /** The Hub's address; the CDN is reached as "localhost", another host. */
    public String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    private void hub(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (gated && !("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().set("X-Error-Code", "GatedRepo");
            send(ex, 401, ("Access to dataset " + REPO + " is restricted.").getBytes(StandardCharsets.UTF_8));
            return;
        }
        String treePrefix = "/api/datasets/" + REPO + "/tree/";
        String resolvePrefix = "/datasets/" + REPO + "/resolve/";
        if (path.startsWith(treePrefix)) {
            String rev = path.substring(treePrefix.length());
            if (!rev.equals("main") && !rev.equals(COMMIT)) {
                ex.getResponseHeaders().set("X-Error-Code", "RevisionNotFound");
                send(ex, 404, new byte[0]);
                return;
            }
            String q = ex.getRequestURI().getQuery();
            int cursor = q != null && q.contains("cursor=") ? Integer.parseInt(q.replaceAll(".*cursor=(\\d+).*", "$1")) : 0;
            List<File> all = new ArrayList<>(files.values());
            int end = Math.min(all.size(), cursor + 2);
            StringBuilder json = new StringBuilder("[");
            if (cursor == 0) {
                json.append("{\"type\":\"directory\",\"oid\":\"x\",\"size\":0,\"path\":\"data\"},");
            }
            for (int i = cursor; i < end; i++) {
                File f = all.get(i);
                json.append(i > cursor ? "," : "").append("{\"type\":\"file\",\"oid\":\"").append(hex("SHA-1", f.bytes))
                        .append("\",\"size\":").append(f.lfs ? 134 : f.bytes.length).append(",\"path\":\"").append(f.path).append('"');
                if (f.lfs) {
                    json.append(",\"lfs\":{\"oid\":\"").append(f.etag()).append("\",\"size\":").append(f.bytes.length).append(",\"pointerSize\":134}");
                }
                json.append('}');
            }
            json.append(']');
            if (end < all.size()) {
                ex.getResponseHeaders().set("Link", "<" + treePrefix + rev + "?recursive=true&cursor=" + end + ">; rel=\"next\"");
            }
            send(ex, 200, json.toString().getBytes(StandardCharsets.UTF_8));
        } else if (path.startsWith(resolvePrefix)) {
            String rest = path.substring(resolvePrefix.length());
            String rev = rest.substring(0, rest.indexOf('/'));
            File f = files.get(rest.substring(rest.indexOf('/') + 1));
            if (f == null || !(rev.equals("main") || rev.equals(COMMIT))) {
                ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
                send(ex, 404, new byte[0]);
                return;
            }
            ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
            if (f.lfs) {
                ex.getResponseHeaders().set("X-Linked-Etag", "\"" + f.etag() + "\"");
                ex.getResponseHeaders().set("X-Linked-Size", String.valueOf(f.bytes.length));
                ex.getResponseHeaders().set("ETag", "\"" + hex("SHA-1", f.bytes) + "\"");
                ex.getResponseHeaders().set("Location", "http://localhost:" + cdn.getAddress().getPort() + "/blobs/" + f.etag());
                ex.sendResponseHeaders(302, -1);
                ex.close();
            } else {
                ex.getResponseHeaders().set("ETag", "\"" + f.etag() + "\"");
                if (ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseHeaders().set("Content-Length", String.valueOf(f.bytes.length));
                    ex.sendResponseHeaders(200, -1);
                    ex.close();
                } else {
                    send(ex, 200, f.bytes);
                }
            }
        } else {
            send(ex, 404, new byte[0]);
        }
    }

    private void cdn(HttpExchange ex) throws IOException {
        if (ex.getRequestHeaders().containsKey("Authorization")) {
            tokenLeaks.incrementAndGet();
            send(ex, 400, "the token must not reach the CDN".getBytes(StandardCharsets.UTF_8));
            return;
        }
        cdnGets.incrementAndGet();
        String etag = ex.getRequestURI().getPath().substring("/blobs/".length());
        File f = files.values().stream().filter(x -> x.etag().equals(etag)).findFirst().orElse(null);
        if (f == null) {
            send(ex, 404, new byte[0]);
            return;
        }
        byte[] body = f.bytes.clone();
        if (corrupt.contains(f.path)) {
            body[body.length / 2] ^= 1;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null) {
            ranges.add(f.path + " " + range);
            from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        }
        int length = body.length - from;
        ex.sendResponseHeaders(range != null ? 206 : 200, length);
        OutputStream out = ex.getResponseBody();
        if (cutOnce.remove(f.path)) {
            out.write(body, from, length / 2);
            out.flush();
            // Cut the connection mid-file: a handler that throws makes the server drop the
            // connection, so the client sees fewer bytes than Content-Length.
            throw new IOException("cut");
        }
        out.write(body, from, length);
        out.close();
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
    }
}
