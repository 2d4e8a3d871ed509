package org.chatcorpus.server.arena.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;

/**
 * The status line and the headers that frame a response (RFC 9112 section 6): how its body ends and
 * whether the connection may serve another request afterwards. Other headers are skipped.
 *
 * @param status        the status code
 * @param framing       how the body's end is known
 * @param contentLength the body's length for {@link Framing#LENGTH}, else -1
 * @param keepAlive     whether the connection may be reused once the body has been read
 */
record ResponseHead(int status, Framing framing, long contentLength, boolean keepAlive) {
    private static final int MAX_HEADER_LINES = 256;

    enum Framing { CHUNKED, LENGTH, UNTIL_CLOSE }

    /**
     * Reads the head of the final response, skipping interim 1xx ones (a server may send
     * "100 Continue" unasked).
     */
    static ResponseHead read(ConnectionInput in) throws IOException {
        while (true) {
            ResponseHead head = readOne(in);
            if (head.status >= 200 || head.status == 101) {
                if (head.status == 101) {
                    throw new ProtocolException("the server switched protocols (HTTP 101) unasked");
                }
                return head;
            }
        }
    }

    private static ResponseHead readOne(ConnectionInput in) throws IOException {
        String statusLine = in.readLine();
        if (statusLine == null) {
            throw new EOFException("the server closed the connection without answering");
        }
        // "HTTP/1.1 200 OK", the reason phrase optional
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' '
                || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new ProtocolException("not an HTTP/1.x status line: " + quote(statusLine));
        }
        boolean http10 = statusLine.charAt(7) == '0';
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("not an HTTP/1.x status line: " + quote(statusLine));
            }
            status = status * 10 + (c - '0');
        }
        boolean chunked = false;
        boolean transferEncoding = false;
        long length = -1;
        boolean close = false;
        boolean keepAliveToken = false;
        for (int lines = 0; ; lines++) {
            String line = in.readLine();
            if (line == null) {
                throw new EOFException("the connection closed in the middle of the response head");
            }
            if (line.isEmpty()) {
                break;
            }
            if (lines >= MAX_HEADER_LINES) {
                throw new ProtocolException("the response head has more than " + MAX_HEADER_LINES + " header lines");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue; // an obsolete folded continuation or junk: nothing that frames the body
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Transfer-Encoding")) {
                transferEncoding = true;
                // Only a final "chunked" frames the body by chunks; any other coding runs to the close.
                int comma = value.lastIndexOf(',');
                chunked = value.substring(comma + 1).trim().equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Content-Length")) {
                for (String part : value.split(",", -1)) {
                    long n = parseLength(part.trim(), line);
                    if (length >= 0 && n != length) {
                        throw new ProtocolException("conflicting Content-Length headers: " + quote(line));
                    }
                    length = n;
                }
            } else if (name.equalsIgnoreCase("Connection")) {
                for (String token : value.split(",")) {
                    String t = token.trim();
                    close |= t.equalsIgnoreCase("close");
                    keepAliveToken |= t.equalsIgnoreCase("keep-alive");
                }
            }
        }
        boolean keepAlive = !close && (!http10 || keepAliveToken);
        if (status < 200 || status == 204 || status == 304) {
            return new ResponseHead(status, Framing.LENGTH, 0, keepAlive);
        }
        if (transferEncoding) {
            // Transfer-Encoding overrides Content-Length (RFC 9112 section 6.3).
            return chunked ? new ResponseHead(status, Framing.CHUNKED, -1, keepAlive)
                    : new ResponseHead(status, Framing.UNTIL_CLOSE, -1, false);
        }
        if (length >= 0) {
            return new ResponseHead(status, Framing.LENGTH, length, keepAlive);
        }
        return new ResponseHead(status, Framing.UNTIL_CLOSE, -1, false);
    }

    private static long parseLength(String s, String line) throws ProtocolException {
        if (s.isEmpty() || s.length() > 18) {
            throw new ProtocolException("bad Content-Length: " + quote(line));
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("bad Content-Length: " + quote(line));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** A line from the server, shortened for an error message. */
    static String quote(String line) {
        return "\"" + (line.length() > 80 ? line.substring(0, 80) + "…" : line) + "\"";
    }
}
