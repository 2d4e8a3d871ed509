package org.chatcorpus.server.modelserver;

import java.util.Locale;
import java.util.Map;

/**
 * A request as {@link RequestReader} read it: the whole body is in memory (the loopback model's
 * requests are a conversation of a few KiB; the reader caps them).
 *
 * @param method       the method token as sent (methods are case-sensitive)
 * @param path         the request target without its query, as sent ("/v1/models")
 * @param minorVersion 0 for HTTP/1.0, 1 for HTTP/1.1 (and any later 1.x)
 * @param headers      values by lower-case name; repeated fields joined with ", "
 * @param body         the body, de-chunked; empty if none
 */
record HttpRequest(String method, String path, int minorVersion, Map<String, String> headers, byte[] body) {

    /** The value of a header field (any case), or null. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    boolean http10() {
        return minorVersion == 0;
    }

    /**
     * Whether the connection stays open after the response (RFC 9112 section 9.3): HTTP/1.1 keeps it
     * unless the client sent {@code Connection: close}; HTTP/1.0 closes it unless the client sent
     * {@code Connection: keep-alive}.
     */
    boolean keepAlive() {
        String connection = header("connection");
        if (connection == null) {
            return !http10();
        }
        boolean close = false;
        boolean keepAlive = false;
        for (String option : connection.split(",")) {
            String o = option.strip();
            close |= o.equalsIgnoreCase("close");
            keepAlive |= o.equalsIgnoreCase("keep-alive");
        }
        return !close && (keepAlive || !http10());
    }
}
