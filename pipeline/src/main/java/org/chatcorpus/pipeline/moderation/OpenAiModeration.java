package org.chatcorpus.pipeline.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ModelError;
import org.chatcorpus.llm.ModerationClient;
import org.chatcorpus.llm.RetryPolicy;

/**
 * The OpenAI moderation endpoint ({@code POST {base}/moderations} with {@code {"input": [texts]}}),
 * as FastChat's tag_openai_moderation.py used it: texts are sent in batches (one request for all
 * uncached messages of a conversation, up to 32 at a time); 429 and 5xx answers are retried with
 * exponential backoff (honouring Retry-After) by the project's one model client ({@link ModerationClient}
 * in llm); every result is cached on disk by the SHA-256 of its text, so a rerun sends nothing it
 * already knows.
 */
public final class OpenAiModeration {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 32;
    private static final int MAX_ATTEMPTS = 6;
    private static volatile OpenAiModeration shared;

    private final String baseUrl;
    private final String apiKey;
    private final String model;
    private final Path cacheFile;
    private final Map<String, Moderation> cache = new ConcurrentHashMap<>();
    private final ModerationClient client;

    public OpenAiModeration(String baseUrl, String apiKey, String model, Path cacheFile, long baseBackoffMillis) throws IOException {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.model = model;
        this.cacheFile = cacheFile;
        this.client = new ModerationClient(new ChatClient(Duration.ofSeconds(60),
                new RetryPolicy(MAX_ATTEMPTS, Duration.ofMillis(baseBackoffMillis), Duration.ofSeconds(60))));
        if (cacheFile != null && Files.exists(cacheFile)) {
            loadCache();
        }
    }

    /**
     * Reads the cache; a line that is not a whole entry (a run killed mid-append leaves a torn last
     * line) is skipped, and a torn tail is cut off so the next entry starts on a line of its own.
     */
    private void loadCache() throws IOException {
        long goodEnd = 0;
        long offset = 0;
        try (org.chatcorpus.core.io.LineReader lines = new org.chatcorpus.core.io.LineReader(Files.newInputStream(cacheFile))) {
            org.chatcorpus.core.io.LineReader.Line line;
            while ((line = lines.next()) != null) {
                offset += line.raw().length + 1;
                if (line.text() == null || line.text().isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(line.text());
                    cache.put(n.get("sha256").asText(), parse(n.get("result")));
                    goodEnd = offset;
                } catch (IOException | RuntimeException e) {
                    skippedCacheLines++;
                }
            }
        }
        long size = Files.size(cacheFile);
        if (size > 0 && !endsWithNewline()) {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(cacheFile, StandardOpenOption.WRITE)) {
                if (goodEnd >= size) {
                    ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), size); // a whole last entry, only its newline missing
                } else {
                    ch.truncate(goodEnd);
                }
            }
        }
    }

    private boolean endsWithNewline() throws IOException {
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(cacheFile)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.position(ch.size() - 1);
            ch.read(b);
            return b.get(0) == '\n';
        }
    }

    private long skippedCacheLines;

    /** Cache lines that were not whole entries when the cache was opened (a torn last line, say). */
    public long skippedCacheLines() {
        return skippedCacheLines;
    }

    /** The endpoint moderation requests go to. */
    public String endpoint() {
        return baseUrl + "/moderations";
    }

    static String baseUrl() {
        String env = System.getenv("OPENAI_BASE_URL");
        return env == null || env.isBlank() ? "https://api.openai.com/v1" : env;
    }

    /** The instance configured from the environment (OPENAI_API_KEY, OPENAI_BASE_URL, CHATCORPUS_MODERATION_CACHE). */
    static OpenAiModeration shared() {
        if (shared == null) {
            synchronized (OpenAiModeration.class) {
                if (shared == null) {
                    String key = System.getenv("OPENAI_API_KEY");
                    if (key == null || key.isBlank()) {
                        throw new IllegalStateException("--moderation openai needs OPENAI_API_KEY in the environment");
                    }
                    String cache = System.getenv().getOrDefault("CHATCORPUS_MODERATION_CACHE",
                            Path.of(System.getProperty("user.home"), ".cache", "chatcorpus", "openai-moderation.jsonl").toString());
                    try {
                        Files.createDirectories(Path.of(cache).toAbsolutePath().getParent());
                        shared = new OpenAiModeration(baseUrl(), key, "omni-moderation-latest", Path.of(cache), 1000);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return shared;
    }

    /**
     * One result per text, in order; only texts not in the cache are sent.
     *
     * @throws ModerationUnavailableException when the endpoint refuses or keeps failing; from then on
     *         this client fails at once for uncached texts (the endpoint is down for this run, and
     *         waiting out every retry again per conversation would only stall it)
     */
    public List<Moderation> moderate(List<String> texts) {
        texts = texts.stream().map(org.chatcorpus.core.text.Utf16::scrub).toList();
        List<String> keys = texts.stream().map(OpenAiModeration::sha256).toList();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (!cache.containsKey(keys.get(i)) && keys.indexOf(keys.get(i)) == i) { // each distinct text once
                missing.add(i);
            }
        }
        ModerationUnavailableException down = unavailable;
        if (down != null && !missing.isEmpty()) {
            throw down;
        }
        for (int from = 0; from < missing.size(); from += BATCH) {
            List<Integer> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
            List<String> inputs = batch.stream().map(texts::get).toList();
            List<Moderation> results = call(inputs);
            for (int k = 0; k < batch.size(); k++) {
                remember(keys.get(batch.get(k)), results.get(k));
            }
        }
        List<Moderation> out = new ArrayList<>(texts.size());
        for (String k : keys) {
            out.add(cache.get(k));
        }
        return out;
    }

    private volatile ModerationUnavailableException unavailable;

    private List<Moderation> call(List<String> inputs) {
        try {
            return attempt(inputs);
        } catch (ModerationUnavailableException e) {
            unavailable = e;
            throw e;
        }
    }

    /** One batch through the project's one model client: its retries, backoff and error texts. */
    private List<Moderation> attempt(List<String> inputs) {
        try {
            List<Moderation> out = new ArrayList<>(inputs.size());
            for (JsonNode n : client.moderate(baseUrl, apiKey, model, inputs)) {
                out.add(parse(n));
            }
            return out;
        } catch (ModelError e) {
            String status = e.status() > 0 ? "HTTP " + e.status() : "unreachable";
            String what = e.retryable() ? " failed " + MAX_ATTEMPTS + " times in a row (last: " + e.getMessage() + ")"
                    : " refused the request: " + e.getMessage();
            throw new ModerationUnavailableException(endpoint(), status, "moderation endpoint " + endpoint() + what);
        }
    }

    static Moderation parse(JsonNode n) {
        boolean[] c = new boolean[ModerationCategory.COUNT];
        double[] s = new double[ModerationCategory.COUNT];
        for (ModerationCategory cat : ModerationCategory.all()) {
            c[cat.ordinal()] = n.path("categories").path(cat.label()).asBoolean(false);
            s[cat.ordinal()] = n.path("category_scores").path(cat.label()).asDouble(0);
        }
        return new Moderation(c, s, n.path("flagged").asBoolean(false));
    }

    private synchronized void remember(String key, Moderation m) {
        cache.put(key, m);
        if (cacheFile == null) {
            return;
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("sha256", key);
        ObjectNode r = line.putObject("result");
        ObjectNode cats = r.putObject("categories");
        ObjectNode scores = r.putObject("category_scores");
        for (ModerationCategory cat : ModerationCategory.all()) {
            cats.put(cat.label(), m.category(cat));
            scores.put(cat.label(), m.score(cat));
        }
        r.put("flagged", m.flagged());
        try (BufferedWriter w = Files.newBufferedWriter(cacheFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(line.toString());
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("writing the moderation cache " + cacheFile, e);
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
