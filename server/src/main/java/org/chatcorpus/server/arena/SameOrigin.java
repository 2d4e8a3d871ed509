package org.chatcorpus.server.arena;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;

/**
 * Refuses a POST that a browser sent from another site. A browser that sends Sec-Fetch-Site says
 * so itself ({@code same-origin}, or {@code none} for what the user typed, pass). Otherwise the
 * Origin (or, without one, the Referer) must name the Host the request was sent to; "null" does
 * not (a page can ask for it with its referrer policy). A browser sends Origin with every
 * cross-site POST, so a request with none of these headers is not a cross-site one from a browser
 * (scripts and tools), and passes. Behind a TLS proxy, the proxy's X-Forwarded-Host counts as the
 * Host. The Arena's pages use the referrer policy {@code same-origin}, under which a browser's
 * own-site POSTs carry their real Origin (under {@code no-referrer} they carry "null").
 */
final class SameOrigin {
    private SameOrigin() {
    }

    static void require(Context ctx, boolean behindProxy) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) {
            if (site.equals("same-origin") || site.equals("none")) {
                return;
            }
            throw new ArenaException(403, "cross-site request refused: the browser says it came from another site ("
                    + (site.length() > 20 ? site.substring(0, 20) : site) + ")");
        }
        String origin = ctx.header("Origin");
        String source = origin != null ? origin : ctx.header("Referer");
        if (source == null) {
            return;
        }
        String from = authority(source);
        String host = hostHeader(ctx.header("Host"));
        String forwarded = behindProxy ? hostHeader(ctx.header("X-Forwarded-Host")) : null;
        if (from != null && (from.equals(host) || from.equals(forwarded))) {
            return;
        }
        String shown = source.length() > 100 ? source.substring(0, 100) + "…" : source;
        throw new ArenaException(403, "cross-site request refused: it came from " + shown + ", not from this site ("
                + (host == null ? "no Host header" : host) + ")");
    }

    /** host[:port] of an Origin or Referer URL, lower case, without the scheme's default port; null when there is none. */
    private static String authority(String url) {
        try {
            URI u = URI.create(url.trim());
            if (u.getHost() == null) {
                return null; // "null" (a sandboxed or privacy-stripped origin), or not a URL
            }
            int port = u.getPort();
            boolean defaultPort = port == -1 || (port == 80 && "http".equalsIgnoreCase(u.getScheme()))
                    || (port == 443 && "https".equalsIgnoreCase(u.getScheme()));
            return (u.getHost() + (defaultPort ? "" : ":" + port)).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String hostHeader(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.endsWith(":80") || h.endsWith(":443")) {
            h = h.substring(0, h.lastIndexOf(':'));
        }
        return h;
    }
}
