package org.chatcorpus.explorer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.chatcorpus.core.io.ConversationVectors;
import org.chatcorpus.core.io.ModerationSource;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.web.Html;

/**
 * The explorer's HTTP face (Javalin): search page with facets, conversation view and shareable
 * links ({@code /c/{id}}), overview (Basic Statistics), export of a result set as JSONL or Parquet
 * in the release schema, and the JSON API ({@code /api/search}, {@code /api/conversation/{id}},
 * {@code /api/similar/{id}}, {@code /api/health}). Read-only; every response carries a strict
 * Content-Security-Policy.
 *
 * <p>What a report adds when it was made from the same release ({@link ReleaseInfo}): topic labels,
 * similar conversations from its embeddings, and who tagged the moderation column, shown wherever
 * flagged categories are.
 *
 * <p>Answers only to allowed Host names ({@link HostAllowList}: against DNS rebinding), refuses
 * queries whose wildcards or regular expressions would scan the whole vocabulary (400), and runs
 * at most {@link Options#maxExports()} exports at once: one more is told to come back (429 with
 * Retry-After) instead of slowing every search down.
 */
public final class ExplorerApp implements AutoCloseable {
    /** The port {@code chatcorpus explore} binds by default. */
    public static final int DEFAULT_PORT = 7870;

    private final ExplorerIndex index;
    private final Searcher searcher;
    private final Javalin app;
    final Semaphore exports; // package-private: tests hold permits to stand for running exports
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param allowedHosts Host names to answer to besides the loopback names and the bound address
     * @param maxExports   exports streamed at once; more get a 429
     */
    public record Options(Set<String> allowedHosts, int maxExports) {
        public Options {
            allowedHosts = Set.copyOf(allowedHosts);
            maxExports = maxExports <= 0 ? 2 : maxExports;
        }

        public static Options defaults() {
            return new Options(Set.of(), 2);
        }
    }

    /**
     * What the explorer knows about the served release beyond its index.
     *
     * @param topicNames       a label per topic id (its keywords from the report's report.json), shown in the topic facet
     * @param similar          the report's conversation vectors, or why there are none
     * @param moderationSource who filled the {@code openai_moderation} column (from the release's provenance.json)
     */
    public record ReleaseInfo(Map<String, String> topicNames, SimilarConversations similar, ModerationSource moderationSource) {
        public ReleaseInfo {
            topicNames = Map.copyOf(topicNames);
        }

        /** Topic labels only: no embeddings, tags as they came ("OpenAI moderation"). */
        public static ReleaseInfo of(Map<String, String> topicNames) {
            return new ReleaseInfo(topicNames, SimilarConversations.unavailable("no report embeddings for this release: " + SimilarConversations.HOW),
                    ModerationSource.openAi("the inputs' own openai_moderation tags"));
        }

        /**
         * Everything a report beside {@code topicsParquet} (may be null) and the inputs' provenance
         * say about this index's release.
         */
        public static ReleaseInfo load(List<String> inputs, Path topicsParquet, ExplorerIndex index, java.io.PrintStream log) throws IOException {
            SimilarConversations similar = SimilarConversations.beside(topicsParquet, index);
            if (similar.available()) {
                log.printf(java.util.Locale.ROOT, "explore: similar conversations from %,d report embeddings (%s)%n", similar.size(), similar.model());
            } else if (topicsParquet != null) {
                log.println("explore: no similar conversations: " + similar.reason());
            }
            return new ReleaseInfo(TopicNames.beside(topicsParquet), similar, ModerationSource.of(inputs));
        }
    }

    /** Similar conversations asked for at most. */
    static final int MAX_SIMILAR = 100;
    /** Similar conversations on a conversation page. */
    static final int PAGE_SIMILAR = 10;

    private final Map<String, String> topicNames;
    private final ReleaseInfo release;

    private ExplorerApp(ExplorerIndex index, String host, Options options, ReleaseInfo release) {
        this.index = index;
        this.release = release;
        this.topicNames = release.topicNames();
        this.exports = new Semaphore(options.maxExports());
        HostAllowList hosts = HostAllowList.of(host, options.allowedHosts());
        this.searcher = index.search();
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = 64 * 1024L;
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = "/org/chatcorpus/explorer/static";
                sf.location = Location.CLASSPATH;
            });
        });
        app.before(ctx -> {
            Html.SECURITY_HEADERS.forEach(ctx::header);
            String refusal = hosts.refusal(ctx.header("Host"));
            if (refusal != null) {
                throw new HostRefused(refusal);
            }
        });
        app.exception(HostRefused.class, (e, ctx) -> error(ctx, 403, e.getMessage()));
        app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.get("/", ctx -> {
            SearchRequest r = SearchRequest.parse(ctx.queryParamMap());
            ctx.html(ExplorerPages.search(r, searcher.search(r, true), index.size(), searcher.syntaxError(r), this.topicNames));
        });
        app.get("/c/{id}", ctx -> {
            Conversation c = index.conversation(ctx.pathParam("id"));
            if (c == null) {
                error(ctx, 404, "no conversation with this id");
                return;
            }
            ctx.html(ExplorerPages.conversation(c, ctx.queryParam("from"), similarOnPage(c.conversationId()), release.moderationSource()));
        });
        app.get("/overview", ctx -> ctx.html(ExplorerPages.overview(index.statistics(), index.size(), index.dir().toString(), index.reused())));
        app.get("/export", this::export);
        app.get("/api/health", ctx -> {
            ObjectNode out = json.createObjectNode();
            out.put("status", "ok").put("conversations", index.size());
            out.putObject("moderation").put("label", release.moderationSource().label()).put("detail", release.moderationSource().detail())
                    .put("local_model", release.moderationSource().local());
            ObjectNode sim = out.putObject("similar");
            sim.put("available", release.similar().available()).put("conversations", release.similar().size());
            if (!release.similar().available()) {
                sim.put("reason", release.similar().reason());
            }
            ctx.contentType("application/json").result(json.writeValueAsString(out));
        });
        app.get("/api/similar/{id}", this::similar);
        app.get("/api/search", ctx -> {
            SearchRequest r = SearchRequest.parse(ctx.queryParamMap());
            String syntax = searcher.syntaxError(r);
            if (syntax != null) {
                // The page searches the words as typed and says so; an API caller gets the parser's message instead.
                error(ctx, 400, "cannot parse the query: " + syntax);
                return;
            }
            Searcher.Result res = searcher.search(r, false);
            ObjectNode out = json.createObjectNode();
            out.put("total", res.total());
            ArrayNode hits = out.putArray("hits");
            for (Searcher.Hit h : res.hits()) {
                hits.addObject().put("conversation_id", h.conversationId()).put("model", h.model()).put("language", h.language())
                        .put("turn", h.turn()).put("snippet", h.snippet().text());
            }
            ctx.contentType("application/json").result(json.writeValueAsString(out));
        });
        app.get("/api/conversation/{id}", ctx -> {
            byte[] record = index.recordBytes(ctx.pathParam("id"));
            if (record == null) {
                error(ctx, 404, "no conversation with this id");
                return;
            }
            ctx.contentType("application/json").result(record);
        });
    }

    /**
     * {@code /api/similar/{id}?k=10}: 404 for an id the release does not have; 409 when the release is
     * served without a report's embeddings (or with another release's), with what to run; else the k
     * nearest by cosine similarity, an empty list with {@code "embedded": false} for a conversation
     * outside the report's sample.
     */
    private void similar(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        String kParam = ctx.queryParam("k");
        int k;
        try {
            k = kParam == null || kParam.isBlank() ? PAGE_SIMILAR : Integer.parseInt(kParam.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("k must be a whole number from 1 to " + MAX_SIMILAR + ", not '" + kParam + "'");
        }
        if (k < 1 || k > MAX_SIMILAR) {
            throw new IllegalArgumentException("k must be from 1 to " + MAX_SIMILAR + ", not " + k);
        }
        if (index.recordBytes(id) == null) {
            error(ctx, 404, "no conversation with the id '" + id + "' in this release");
            return;
        }
        SimilarConversations similar = release.similar();
        if (!similar.available()) {
            error(ctx, 409, similar.reason());
            return;
        }
        ObjectNode out = json.createObjectNode();
        out.put("id", id);
        out.put("model", similar.model());
        out.put("embedded", similar.embedded(id));
        if (!similar.embedded(id)) {
            out.put("note", SimilarConversations.NOT_SAMPLED);
        }
        ArrayNode list = out.putArray("similar");
        for (ExplorerPages.Similar s : similarOf(id, k)) {
            list.addObject().put("id", s.id()).put("title", s.title()).put("similarity", Math.round(s.similarity() * 10000) / 10000.0);
        }
        ctx.contentType("application/json").result(json.writeValueAsString(out));
    }

    /** The nearest conversations with their titles (the first prompt, cut). */
    private List<ExplorerPages.Similar> similarOf(String id, int k) throws IOException {
        List<ExplorerPages.Similar> out = new java.util.ArrayList<>();
        for (ConversationVectors.Neighbour n : release.similar().nearest(id, k)) {
            Conversation c = index.conversation(n.id());
            // A vector whose conversation is missing cannot happen with a matching digest; skip rather than link to a 404.
            if (c != null) {
                out.add(new ExplorerPages.Similar(n.id(), Searcher.title(c), n.similarity()));
            }
        }
        return out;
    }

    /** What the conversation page shows under "Similar conversations": the list, or why there is none (null: no section). */
    private ExplorerPages.SimilarSection similarOnPage(String id) throws IOException {
        SimilarConversations similar = release.similar();
        if (!similar.available()) {
            return null;
        }
        if (!similar.embedded(id)) {
            return new ExplorerPages.SimilarSection(List.of(), SimilarConversations.NOT_SAMPLED, similar.model());
        }
        return new ExplorerPages.SimilarSection(similarOf(id, PAGE_SIMILAR), null, similar.model());
    }

    /** A request for a Host name the explorer does not answer to. */
    private static final class HostRefused extends RuntimeException {
        HostRefused(String message) {
            super(message, null, false, false);
        }
    }

    private void error(Context ctx, int status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/")) {
            ctx.json(Map.of("error", message == null ? "error" : message));
        } else {
            ctx.html(ExplorerPages.error(status, message == null ? "error" : message));
        }
    }

    /** Streams an export if fewer than the allowed number are running; otherwise a 429 at once. */
    private void export(Context ctx) throws IOException {
        if (!exports.tryAcquire()) {
            ctx.header("Retry-After", "5");
            error(ctx, 429, "the explorer is already streaming as many exports as it allows at once; try again in a few seconds");
            return;
        }
        try {
            streamExport(ctx);
        } finally {
            exports.release();
        }
    }

    private void streamExport(Context ctx) throws IOException {
        String format = ctx.queryParam("format");
        if (format == null || format.isBlank()) {
            format = "jsonl";
        }
        SearchRequest r = SearchRequest.parse(ctx.queryParamMap());
        if (format.equals("jsonl")) {
            ctx.contentType("application/x-ndjson; charset=utf-8");
            ctx.header("Content-Disposition", "attachment; filename=\"explore.jsonl\"");
            OutputStream out = ctx.res().getOutputStream();
            byte[] buffer = new byte[1 << 16];
            int[] used = {0};
            searcher.forEachRecord(r, rec -> {
                if (used[0] + rec.length + 1 > buffer.length) {
                    out.write(buffer, 0, used[0]);
                    used[0] = 0;
                }
                if (rec.length + 1 > buffer.length) {
                    out.write(rec);
                    out.write('\n');
                } else {
                    System.arraycopy(rec, 0, buffer, used[0], rec.length);
                    buffer[used[0] + rec.length] = '\n';
                    used[0] += rec.length + 1;
                }
            });
            out.write(buffer, 0, used[0]);
            out.flush();
        } else if (format.equals("parquet")) {
            Path tmp = Files.createTempDirectory("chatcorpus-export");
            try {
                ParquetShardWriter w = new ParquetShardWriter(tmp, Long.MAX_VALUE, false).emptyShardWhenNothingWritten();
                try (w) {
                    searcher.forEachRecord(r, rec -> w.write(ExplorerIndex.parse(rec)));
                }
                ctx.contentType("application/vnd.apache.parquet");
                ctx.header("Content-Disposition", "attachment; filename=\"explore.parquet\"");
                Path file = w.summary().shards().get(0);
                ctx.header("Content-Length", Long.toString(Files.size(file)));
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(ctx.res().getOutputStream());
                }
            } finally {
                try (Stream<Path> s = Files.walk(tmp)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } else {
            throw new IllegalArgumentException("format must be jsonl or parquet");
        }
    }

    public static ExplorerApp start(ExplorerIndex index, String host, int port) {
        return start(index, host, port, Options.defaults(), Map.of());
    }

    public static ExplorerApp start(ExplorerIndex index, String host, int port, Options options) {
        return start(index, host, port, options, Map.of());
    }

    /** @param topicNames a label per topic id (e.g. its keywords from the report's report.json), shown in the topic facet */
    public static ExplorerApp start(ExplorerIndex index, String host, int port, Map<String, String> topicNames) {
        return start(index, host, port, Options.defaults(), topicNames);
    }

    public static ExplorerApp start(ExplorerIndex index, String host, int port, Options options, Map<String, String> topicNames) {
        return start(index, host, port, options, ReleaseInfo.of(topicNames));
    }

    public static ExplorerApp start(ExplorerIndex index, String host, int port, Options options, ReleaseInfo release) {
        ExplorerApp a = new ExplorerApp(index, host, options, release);
        a.app.start(host, port);
        return a;
    }

    public int port() {
        return app.port();
    }

    public ExplorerIndex index() {
        return index;
    }

    @Override
    public void close() throws IOException {
        app.stop();
        index.close();
    }
}
