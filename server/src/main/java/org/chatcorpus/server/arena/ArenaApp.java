package org.chatcorpus.server.arena;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.battles.io.BattleLogCleaner;
import org.chatcorpus.battles.rating.Leaderboard;
import org.chatcorpus.core.web.Html;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Arena's HTTP face (Javalin): pages, the streaming chat API (server-sent events) and the
 * leaderboard. Thin over {@link ArenaService}. Every response carries a strict
 * Content-Security-Policy. A session (an HttpOnly, SameSite=Strict cookie, Secure over HTTPS or
 * behind a configured TLS proxy) is created only when the terms are accepted; every POST must come
 * from this site (Origin or Referer naming this Host), and state-changing API calls require a JSON
 * body, which a cross-site form cannot send. Text from request bodies is scrubbed by the project's
 * one rule ({@link Utf16#scrub}) before anything else sees it.
 */
public final class ArenaApp implements AutoCloseable {
    static final String SESSION_COOKIE = "arena_session";
    private static final long LEADERBOARD_TTL_MILLIS = 30_000;
    private static final int MAX_THREADS = 1_200;
    private static final String OK_JSON = "{\"ok\":true}";
    private static final byte[] EVENT_START = "data: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.UTF_8);
    // The two events of every chat turn, written around the escaped text without building a JSON tree:
    // {"delta":"…"} and {"done":true,"answer":"…"}.
    private static final byte[] DELTA_HEAD = "{\"delta\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DONE_HEAD = "{\"done\":true,\"answer\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TEXT_EVENT_TAIL = "\"}".getBytes(StandardCharsets.UTF_8);

    private final ArenaService service;
    private final Javalin app;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Leaderboard cachedLeaderboard;
    private volatile long cachedAt;

    private ArenaApp(ArenaService service) {
        this.service = service;
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = 256 * 1024L;
            // Answers stream as small server-sent events; a compressing wrapper around every response
            // only costs time per request, and the pages are a few kilobytes.
            cfg.http.disableCompression();
            // Every streamed answer holds a request thread while its model answers (seconds, at 30-100
            // tokens/s). Javalin's default pool of 250 made the 251st concurrent chat wait for a free
            // thread; 500 concurrent streams is the load the Arena is measured at (docs/benchmarks.md).
            cfg.jetty.threadPool = new QueuedThreadPool(MAX_THREADS, 8);
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = "/org/chatcorpus/server/arena/static";
                sf.location = Location.CLASSPATH;
            });
        });
        app.before(ctx -> {
            Html.SECURITY_HEADERS.forEach(ctx::header);
            // Same-origin requests keep their Origin (the same-origin check needs it); other sites still get no Referer.
            ctx.header("Referrer-Policy", "same-origin");
        });
        app.before(ctx -> {
            if (ctx.method() == io.javalin.http.HandlerType.POST) {
                SameOrigin.require(ctx, service.config().tlsProxy());
            }
        });
        app.exception(ArenaException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            ctx.status(e.status()).json(java.util.Map.of("error", e.getMessage()));
        });
        app.get("/", ctx -> {
            if (existingSession(ctx) != null) {
                ctx.redirect("/chat");
            } else {
                ctx.html(ArenaPages.consent());
            }
        });
        app.post("/consent", ctx -> {
            if (existingSession(ctx) == null) {
                setCookie(ctx, service.consent(clientAddress(ctx)));
            }
            ctx.redirect("/chat");
        });
        app.get("/chat", ctx -> page(ctx, () -> ArenaPages.chat(service.modelNames())));
        app.get("/battle", ctx -> page(ctx, () -> ArenaPages.battle(service.modelNames(), true)));
        app.get("/side-by-side", ctx -> page(ctx, () -> ArenaPages.battle(service.modelNames(), false)));
        app.get("/leaderboard", ctx -> ctx.html(ArenaPages.leaderboard(leaderboard())));
        app.get("/api/models", ctx -> ctx.json(service.modelNames()));
        app.get("/api/leaderboard", ctx -> ctx.result(leaderboard().toJson(json).toString()).contentType("application/json"));
        app.post("/api/chat", ctx -> {
            JsonNode body = body(ctx);
            ArenaSession s = session(ctx);
            String model = text(body, "model", "");
            String prompt = text(body, "prompt", "");
            stream(ctx, out -> {
                String answer = service.chat(s, model, prompt, d -> textEvent(out, DELTA_HEAD, d, true));
                textEvent(out, DONE_HEAD, answer, false);
            });
        });
        app.post("/api/chat/new", ctx -> {
            body(ctx);
            service.newChat(session(ctx));
            ok(ctx);
        });
        app.post("/api/chat/vote", ctx -> {
            service.voteSingle(session(ctx), text(body(ctx), "type", ""));
            ok(ctx);
        });
        app.post("/api/battle/new", ctx -> {
            JsonNode body = body(ctx);
            service.startBattle(session(ctx), body.path("anony").asBoolean(true),
                    text(body, "modelA", null), text(body, "modelB", null));
            ctx.json(java.util.Map.of("ok", true));
        });
        app.post("/api/battle/send", ctx -> {
            String prompt = text(body(ctx), "prompt", "");
            ArenaSession s = session(ctx);
            stream(ctx, out -> {
                service.battleTurn(s, prompt, (side, d) -> event(out, json.createObjectNode().put("side", side).put("delta", d)));
                last(out, json.createObjectNode().put("done", true));
            });
        });
        app.post("/api/battle/vote", ctx -> {
            ArenaService.VoteResult r = service.vote(session(ctx), text(body(ctx), "type", ""));
            ctx.json(java.util.Map.of("models", r.models(), "counted", r.counted(), "note", r.note()));
        });
        app.post("/api/battle/regenerate", ctx -> {
            body(ctx);
            ArenaSession s = session(ctx);
            stream(ctx, out -> {
                service.regenerateBattle(s, (side, d) -> event(out, json.createObjectNode().put("side", side).put("delta", d)));
                last(out, json.createObjectNode().put("done", true));
            });
        });
        app.post("/api/chat/regenerate", ctx -> {
            body(ctx);
            ArenaSession s = session(ctx);
            stream(ctx, out -> {
                String answer = service.regenerateChat(s, d -> textEvent(out, DELTA_HEAD, d, true));
                textEvent(out, DONE_HEAD, answer, false);
            });
        });
        app.post("/api/render", ctx -> ctx.contentType("application/json")
                .result(json.writeValueAsBytes(java.util.Map.of("html", org.chatcorpus.core.web.MarkdownHtml.render(body(ctx).path("text").asText(""))))));
    }

    public static ArenaApp start(ArenaService service, String host, int port) {
        ArenaApp a = new ArenaApp(service);
        a.app.start(host, port);
        return a;
    }

    public int port() {
        return app.port();
    }

    public ArenaService service() {
        return service;
    }

    private interface Streamer {
        void run(OutputStream out) throws IOException;
    }

    /**
     * Answers with server-sent events. Validation errors thrown before the first event still get
     * a proper HTTP status; once streaming has started, errors become an {@code error} event.
     */
    private void stream(Context ctx, Streamer body) throws IOException {
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        LazyStream out = new LazyStream(ctx);
        try {
            body.run(out);
        } catch (ArenaException e) {
            if (!out.started) {
                ctx.res().setContentType("application/json");
                throw e;
            }
            last(out, json.createObjectNode().put("error", e.getMessage()));
        } catch (UncheckedIOException e) {
            if (!out.started) {
                throw e;
            }
        }
        // No flush here: what is still buffered goes out with the end of the response, in one write.
    }

    /** Commits the SSE response only when the first event is written. */
    private static final class LazyStream extends OutputStream {
        private final Context ctx;
        private OutputStream raw;
        boolean started;

        LazyStream(Context ctx) {
            this.ctx = ctx;
        }

        private OutputStream raw() throws IOException {
            if (raw == null) {
                started = true;
                ctx.status(200);
                raw = ctx.res().getOutputStream();
            }
            return raw;
        }

        @Override
        public void write(int b) throws IOException {
            raw().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            raw().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (raw != null) {
                raw.flush();
            }
        }
    }

    /** Sends one event now (a delta the user is waiting to see). */
    private void event(OutputStream out, JsonNode data) {
        write(out, data, true);
    }

    /** Writes the stream's last event; it leaves with the end of the response, in the same write. */
    private void last(OutputStream out, JsonNode data) {
        write(out, data, false);
    }

    /** An event whose JSON is {@code head}, the text as a JSON string's content, and a closing quote and brace. */
    private static void textEvent(OutputStream out, byte[] head, String text, boolean flush) {
        send(out, flush, head, JsonStringEncoder.getInstance().quoteAsUTF8(text), TEXT_EVENT_TAIL);
    }

    private void write(OutputStream out, JsonNode data, boolean flush) {
        try {
            send(out, flush, json.writeValueAsBytes(data)); // UTF-8 straight from the tree, no String in between
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one server-sent event, "data: " + the parts + a blank line, as one unit among concurrent writers. */
    private static void send(OutputStream out, boolean flush, byte[]... parts) {
        try {
            synchronized (out) {
                out.write(EVENT_START);
                for (byte[] p : parts) {
                    out.write(p);
                }
                out.write(EVENT_END);
                if (flush) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void page(Context ctx, java.util.function.Supplier<String> html) {
        if (existingSession(ctx) == null) {
            ctx.redirect("/");
            return;
        }
        ctx.html(html.get());
    }

    private JsonNode body(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.startsWith("application/json")) {
            throw new ArenaException(415, "send JSON (Content-Type: application/json)");
        }
        try {
            JsonNode n = json.readTree(ctx.bodyAsBytes()); // parsed as UTF-8 bytes: no decoding to a String first
            if (n == null || !n.isObject()) {
                throw new ArenaException(400, "the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ArenaException(400, "the body is not valid JSON");
        }
    }

    /** A text field of a JSON body, with unpaired surrogates made U+FFFD (a browser can send "\ud800"). */
    private static String text(JsonNode body, String field, String fallback) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? fallback : Utf16.scrub(n.asText());
    }

    /** {"ok":true}, the answer of every call that has nothing else to say (a constant: no mapper per call). */
    private static void ok(Context ctx) {
        ctx.contentType("application/json").result(OK_JSON);
    }

    /** The request's session, or a 403: sessions exist only once the terms are accepted. */
    private ArenaSession session(Context ctx) {
        ArenaSession s = existingSession(ctx);
        if (s == null) {
            throw new ArenaException(403, "please accept the terms of use first");
        }
        return s;
    }

    private ArenaSession existingSession(Context ctx) {
        return service.session(ctx.cookie(SESSION_COOKIE));
    }

    /**
     * The user's address: the connection's, or, when the direct peer is a trusted proxy (listed in
     * trustedProxies; with tlsProxy and no list, the proxy in front), the one the proxies forwarded
     * (see ClientAddress). Without this every user behind a proxy would share one address, one user key
     * and one per-address budget.
     */
    private String clientAddress(Context ctx) {
        if (service.config().tlsProxy() && service.config().trustedProxies().isEmpty()) {
            // Behind the one TLS proxy in front: the address it appended, the last X-Forwarded-For
            // entry (earlier ones come from the client and prove nothing).
            String forwarded = ctx.header("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
                if (!last.isEmpty()) {
                    return last;
                }
            }
            return ctx.ip();
        }
        return service.clientAddress().resolve(ctx.ip(), ctx.header("CF-Connecting-IP"), ctx.header("X-Forwarded-For"));
    }

    private void setCookie(Context ctx, ArenaSession s) {
        Cookie c = new Cookie(SESSION_COOKIE, s.id());
        c.setHttpOnly(true);
        c.setSameSite(SameSite.STRICT);
        c.setPath("/");
        c.setSecure(ctx.req().isSecure() || service.config().tlsProxy());
        ctx.cookie(c);
    }

    /** The leaderboard from the server's own logs, recomputed at most every 30 seconds. */
    Leaderboard leaderboard() throws IOException {
        long now = System.currentTimeMillis();
        Leaderboard lb = cachedLeaderboard;
        if (lb == null || now - cachedAt > LEADERBOARD_TTL_MILLIS) {
            lb = computeLeaderboard(service.log().dir());
            cachedLeaderboard = lb;
            cachedAt = now;
        }
        return lb;
    }

    /** Forgets the cached leaderboard (tests; after imports). */
    void invalidateLeaderboard() {
        cachedLeaderboard = null;
    }

    static Leaderboard computeLeaderboard(Path logDir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(logDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith("-conv.json")).sorted().toList();
        }
        var battles = BattleLogCleaner.withoutLanguage().clean(files, Quarantine.counting()).battles();
        return Leaderboard.compute(battles, true, 100, 0);
    }

    @Override
    public void close() throws IOException {
        app.stop();
        service.close();
    }
}
