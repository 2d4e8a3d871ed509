package org.chatcorpus.core.io.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hugging Face Hub's HTTP API for dataset repositories, as huggingface_hub speaks it: the file
 * list from {@code /api/datasets/{repo}/tree/{rev}?recursive=true} (paged by {@code Link: rel="next"}),
 * each file's commit, etag and size from the first response of {@code /datasets/{repo}/resolve/{rev}/{path}}
 * (before any redirect), and its bytes from wherever that redirects. A redirect to another host (the
 * CDN) is followed without the Authorization header, so the token never leaves the Hub.
 */
public final class HubClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    private static final int MAX_REDIRECTS = 10;

    /** One file of a repository, from the tree listing. */
    public record RepoFile(String path, long size, String lfsSha256) {
    }

    /** What the first response for a file says about it. */
    public record FileMeta(String commit, String etag, long size, URI location) {
        public boolean isLfs() {
            return etag.matches("[0-9a-f]{64}");
        }
    }

    private final String endpoint;
    private final String token;
    private final HttpClient http;

    public HubClient(String endpoint, String token) {
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** {@code HF_ENDPOINT}, else the public Hub. */
    public static String endpoint(Map<String, String> env) {
        String e = env.get("HF_ENDPOINT");
        return e != null && !e.isBlank() ? e : "https://huggingface.co";
    }

    /**
     * The token as huggingface_hub finds it: the given one, else {@code HF_TOKEN} (or the older
     * {@code HUGGING_FACE_HUB_TOKEN}), else the file {@code HF_TOKEN_PATH} or {@code HF_HOME/token}.
     */
    public static Optional<String> token(String given, Map<String, String> env) throws IOException {
        for (String t : new String[] {given, env.get("HF_TOKEN"), env.get("HUGGING_FACE_HUB_TOKEN")}) {
            if (t != null && !t.isBlank()) {
                return Optional.of(t.strip());
            }
        }
        String tokenPath = env.get("HF_TOKEN_PATH");
        Path file = tokenPath != null && !tokenPath.isBlank() ? Path.of(tokenPath) : HubCache.hfHome(env).resolve("token");
        if (Files.isRegularFile(file)) {
            String t = Files.readString(file, StandardCharsets.UTF_8).strip();
            return t.isEmpty() ? Optional.empty() : Optional.of(t);
        }
        return Optional.empty();
    }

    /** Every file of the repository at {@code revision}, following the listing's pages. */
    public List<RepoFile> listFiles(String repoId, String revision) throws IOException {
        List<RepoFile> files = new ArrayList<>();
        URI next = URI.create(endpoint + "/api/datasets/" + repoId + "/tree/" + encode(revision) + "?recursive=true");
        while (next != null) {
            HttpResponse<byte[]> r = send(HttpRequest.newBuilder(next).GET(), next, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw failure(repoId, revision, "the file list", r.statusCode(), r.headers().firstValue("X-Error-Code").orElse(""));
            }
            JsonNode list = JSON.readTree(r.body());
            for (JsonNode n : list) {
                if ("file".equals(n.path("type").asText())) {
                    JsonNode lfs = n.path("lfs");
                    files.add(new RepoFile(n.path("path").asText(), lfs.isObject() ? lfs.path("size").asLong(n.path("size").asLong())
                            : n.path("size").asLong(), lfs.isObject() ? lfs.path("oid").asText(null) : null));
                }
            }
            next = r.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find)
                    .map(m -> next(m.group(1))).orElse(null);
        }
        return files;
    }

    /** The commit, etag and size of one file, read from the first response (a HEAD, redirects not followed). */
    public FileMeta meta(String repoId, String revision, String path) throws IOException {
        URI uri = resolveUri(repoId, revision, path);
        HttpResponse<Void> r = send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept-Encoding", "identity"), uri, HttpResponse.BodyHandlers.discarding());
        int s = r.statusCode();
        if (s != 200 && (s < 300 || s >= 400)) {
            throw failure(repoId, revision, path, s, r.headers().firstValue("X-Error-Code").orElse(""));
        }
        String commit = r.headers().firstValue("X-Repo-Commit").orElse(null);
        String etag = r.headers().firstValue("X-Linked-Etag").or(() -> r.headers().firstValue("ETag")).map(HubClient::cleanEtag).orElse(null);
        if (commit == null || etag == null) {
            throw new HubException(repoId + "/" + path + ": the Hub's answer has no X-Repo-Commit or ETag header (is HF_ENDPOINT a Hub?)");
        }
        long size = r.headers().firstValue("X-Linked-Size").or(() -> r.headers().firstValue("Content-Length"))
                .map(Long::parseLong).orElse(-1L);
        URI location = s >= 300 ? r.headers().firstValue("Location").map(uri::resolve).orElse(uri) : uri;
        return new FileMeta(commit, etag, size, location);
    }

    /**
     * Appends the file's bytes from {@code from} (its length so far) to {@code partial}, asking
     * with {@code Range: bytes=N-} when resuming, and returns the sha256 of the whole file as it
     * then is on disk. Redirects are followed by hand: the token goes only to the Hub's own host.
     *
     * <p>The bytes are written and hashed as they arrive, on the thread of a client of this
     * download's own ({@link FileBody}): through the shared client's blocking InputStream every
     * 16 KB buffer was handed from its one selector thread to the reading thread and back, and the
     * file was read a second time for its hash; on two busy cores that made a pull several times
     * slower than curl (docs/benchmarks.md, "pull").
     */
    public String download(String repoId, String path, URI uri, Path partial, LongConsumer onBytes) throws IOException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        HttpClient own = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).followRedirects(HttpClient.Redirect.NEVER).build();
        URI at = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(at).GET().header("Accept-Encoding", "identity");
            if (have > 0) {
                b.header("Range", "bytes=" + have + "-");
            }
            long had = have;
            HttpResponse<String> r = send(own, b, at, info -> {
                int s = info.statusCode();
                if (s != 200 && s != 206) {
                    return HttpResponse.BodySubscribers.replacing(null); // a redirect or an error: its body is not wanted
                }
                if (s == 200 && had > 0) {
                    onBytes.accept(-had); // the server ignored Range: start over
                }
                return HttpResponse.BodySubscribers.fromSubscriber(new FileBody(partial, s == 206, onBytes), FileBody::sha256);
            });
            int s = r.statusCode();
            if (s >= 300 && s < 400) {
                URI base = at;
                at = r.headers().firstValue("Location").map(base::resolve)
                        .orElseThrow(() -> new HubException(repoId + "/" + path + ": a redirect without Location"));
                continue;
            }
            if (s == 416 && have > 0) { // already complete
                return FileBody.sha256Of(partial);
            }
            if (s != 200 && s != 206) {
                throw failure(repoId, "", path, s, r.headers().firstValue("X-Error-Code").orElse(""));
            }
            return r.body();
        }
        throw new HubException(repoId + "/" + path + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /**
     * A response body written to a file as it arrives, its sha256 kept on the way (on resume the
     * bytes already on disk are hashed first). It asks for everything at once and writes on the
     * delivering thread, so the socket is read only as fast as the disk takes it.
     */
    static final class FileBody implements java.util.concurrent.Flow.Subscriber<List<java.nio.ByteBuffer>> {
        private final Path file;
        private final boolean append;
        private final LongConsumer onBytes;
        private final java.security.MessageDigest digest;
        private java.nio.channels.FileChannel channel;
        private java.util.concurrent.Flow.Subscription subscription;
        private IOException failure;

        FileBody(Path file, boolean append, LongConsumer onBytes) {
            this.file = file;
            this.append = append;
            this.onBytes = onBytes;
            this.digest = newDigest();
        }

        static String sha256Of(Path file) throws IOException {
            java.security.MessageDigest d = newDigest();
            hashInto(d, file);
            return java.util.HexFormat.of().formatHex(d.digest());
        }

        private static void hashInto(java.security.MessageDigest d, Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
            }
        }

        private static java.security.MessageDigest newDigest() {
            try {
                return java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is always present", e);
            }
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            try {
                if (append) {
                    hashInto(digest, file);
                }
                channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                failure = e;
                s.cancel();
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> buffers) {
            if (failure != null) {
                return;
            }
            try {
                for (java.nio.ByteBuffer b : buffers) {
                    int n = b.remaining();
                    digest.update(b.duplicate());
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                    onBytes.accept(n);
                }
            } catch (IOException e) {
                failure = e;
                close();
                subscription.cancel();
            }
        }

        @Override
        public void onError(Throwable t) {
            close();
        }

        @Override
        public void onComplete() {
            close();
        }

        private void close() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }

        /** The whole file's hex sha256, once the body is complete; a local write failure is rethrown. */
        String sha256() {
            if (failure != null) {
                throw new java.io.UncheckedIOException(failure);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        }
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder b, URI uri, HttpResponse.BodyHandler<T> handler) throws IOException {
        return send(http, b, uri, handler);
    }

    private <T> HttpResponse<T> send(HttpClient client, HttpRequest.Builder b, URI uri, HttpResponse.BodyHandler<T> handler) throws IOException {
        if (token != null && sameHost(uri)) {
            b.header("Authorization", "Bearer " + token);
        }
        b.header("User-Agent", "chatcorpus; hf_hub-compatible");
        try {
            return client.send(b.timeout(Duration.ofMinutes(10)).build(), handler);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // our own write to disk failed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while talking to " + uri.getHost(), e);
        }
    }

    private boolean sameHost(URI uri) {
        URI hub = URI.create(endpoint);
        return hub.getHost() != null && hub.getHost().equalsIgnoreCase(uri.getHost()) && hub.getPort() == uri.getPort()
                && hub.getScheme().equalsIgnoreCase(uri.getScheme());
    }

    private URI next(String link) {
        return URI.create(endpoint + "/").resolve(link);
    }

    URI resolveUri(String repoId, String revision, String path) {
        StringBuilder p = new StringBuilder();
        for (String part : path.split("/")) {
            if (p.length() > 0) {
                p.append('/');
            }
            p.append(encode(part));
        }
        return URI.create(endpoint + "/datasets/" + repoId + "/resolve/" + encode(revision) + "/" + p);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String cleanEtag(String etag) {
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replace("\"", "");
    }

    private static HubException failure(String repoId, String revision, String what, int status, String errorCode) {
        if ((status == 401 || status == 403) && errorCode.equalsIgnoreCase("GatedRepo")) {
            return new HubException(repoId + " is gated: accept the dataset's terms at https://huggingface.co/datasets/" + repoId
                    + " while logged in, then set HF_TOKEN to a token from https://huggingface.co/settings/tokens (HTTP " + status + ")");
        }
        if (status == 401 || status == 403) {
            return new HubException(repoId + ": HTTP " + status + " for " + what + " (" + (errorCode.isEmpty() ? "access denied" : errorCode)
                    + "); the repository may be private or not exist: check the name and set HF_TOKEN");
        }
        if (status == 404) {
            return new HubException(repoId + (revision.isEmpty() ? "" : "@" + revision) + ": " + what + " not found (HTTP 404"
                    + (errorCode.isEmpty() ? "" : ", " + errorCode) + ")");
        }
        return new HubException(repoId + ": " + what + " failed with HTTP " + status + (errorCode.isEmpty() ? "" : " (" + errorCode + ")"));
    }
}
