package org.chatcorpus.server.arena.http;

import java.net.URI;
import java.util.Locale;

/**
 * Where a request goes: the destination to connect to and the request target to ask for, parsed
 * once from an {@code http://} URL (a model endpoint is called thousands of times).
 */
public final class HttpTarget {
    private final String host;
    private final int port;
    private final String authority;
    private final String path;

    private HttpTarget(String host, int port, String authority, String path) {
        this.host = host;
        this.port = port;
        this.authority = authority;
        this.path = path;
    }

    /**
     * Parses e.g. "http://127.0.0.1:8001/v1/chat/completions" or "http://[::1]/v1/chat/completions"
     * (port 80 by default).
     *
     * @throws IllegalArgumentException if it is not an absolute http URL with a host
     */
    public static HttpTarget of(String url) {
        URI uri = URI.create(url);
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not an http:// URL: " + url);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in URL " + url);
        }
        host = host.toLowerCase(Locale.ROOT);
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        // URI keeps an IPv6 literal in brackets: the Host header needs them, the socket address does not.
        boolean ipv6 = host.startsWith("[");
        String address = ipv6 ? host.substring(1, host.length() - 1) : host;
        String authority = port == 80 ? host : host + ":" + port;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        return new HttpTarget(address, port, authority, path);
    }

    /** The host to connect to (an IPv6 literal without brackets). */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The Host header's value: host, and port unless 80; also names the destination's pool. */
    public String authority() {
        return authority;
    }

    /** The request target: path and query. */
    public String path() {
        return path;
    }

    @Override
    public String toString() {
        return "http://" + authority + path;
    }
}
