package org.chatcorpus.server.modelserver;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the requests of one connection (RFC 9112): request line, header fields, and a body framed
 * by {@code Content-Length} or {@code Transfer-Encoding: chunked}. The buffer outlives a request,
 * so bytes of a next, pipelined request that arrived with this one wait in it for the next read.
 *
 * <p>Strict where leniency would let a request be read two ways (whitespace before a colon,
 * folded lines, both framing headers, differing lengths), lenient where it costs nothing (empty
 * lines before a request line, bare LF line ends, chunk extensions and trailers, ignored).
 */
final class RequestReader {
    /** The request line and header fields together, as Jetty's and nginx's larger header buffers. */
    static final int MAX_HEAD = 16 * 1024;
    /** A conversation for the loopback model is a few KiB; this only stops a runaway client. */
    static final int MAX_BODY = 8 * 1024 * 1024;
    private static final int MAX_HEADER_FIELDS = 100;
    /** A chunk-size line, extensions included; the size itself is at most 7 hex digits here. */
    private static final int MAX_CHUNK_LINE = 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] NO_BODY = new byte[0];

    private final InputStream in;
    private final OutputStream interim;
    private final byte[] buf = new byte[MAX_HEAD];
    private int pos;
    private int lim;
    /** Bytes the last {@link #readLine} consumed, its line end included. */
    private int lineBytes;

    /** @param interim where a {@code 100 Continue} goes: the connection's output */
    RequestReader(InputStream in, OutputStream interim) {
        this.in = in;
        this.interim = interim;
    }

    /**
     * The next request, or null if the connection ended cleanly before one began.
     *
     * @throws RejectedRequest if the request is malformed or over a limit (answer it and close)
     * @throws IOException if the connection failed, timed out or ended inside a request
     */
    HttpRequest read() throws IOException, RejectedRequest {
        int budget = MAX_HEAD;
        String requestLine;
        do { // RFC 9112 section 2.2: ignore empty lines before a request line
            requestLine = readLine(budget, 414, "the request line");
            if (requestLine == null) {
                return null;
            }
            budget -= lineBytes;
        } while (requestLine.isEmpty());

        int sp1 = requestLine.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 <= sp1 + 1 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
            throw malformed("request line", requestLine);
        }
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String version = requestLine.substring(sp2 + 1);
        if (!isToken(method) || !isVisibleAscii(target)) {
            throw malformed("request line", requestLine);
        }
        if (version.length() != 8 || !version.startsWith("HTTP/") || !isDigit(version.charAt(5))
                || version.charAt(6) != '.' || !isDigit(version.charAt(7))) {
            throw malformed("request line", requestLine);
        }
        if (version.charAt(5) != '1') {
            throw new RejectedRequest(505, version + " is not supported; send HTTP/1.1");
        }
        int minorVersion = version.charAt(7) == '0' ? 0 : 1;
        String path = path(target, requestLine);

        Map<String, String> headers = readFields(budget, 431, "the request head");
        byte[] body = readBody(headers, minorVersion);
        return new HttpRequest(method, path, minorVersion, headers, body);
    }

    /** Header (or trailer) fields up to the empty line that ends them, by lower-case name. */
    private Map<String, String> readFields(int budget, int tooLong, String what) throws IOException, RejectedRequest {
        Map<String, String> fields = new HashMap<>();
        for (int count = 0; ; count++) {
            String line = readLine(budget, tooLong, what);
            if (line == null) {
                throw new EOFException("the connection closed inside " + what);
            }
            budget -= lineBytes;
            if (line.isEmpty()) {
                return fields;
            }
            if (count == MAX_HEADER_FIELDS) {
                throw new RejectedRequest(431, what + " has more than " + MAX_HEADER_FIELDS + " fields");
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new RejectedRequest(400, "malformed header field (obsolete line folding) in " + what + ": " + quote(line));
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) { // also refuses whitespace before the colon
                throw malformed("header field", line);
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = stripWhitespace(line.substring(colon + 1));
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < ' ' && c != '\t') || c == 0x7f) {
                    throw malformed("header field", line);
                }
            }
            String earlier = fields.get(name);
            if (earlier == null) {
                fields.put(name, value);
            } else if (name.equals("content-length")) {
                if (!earlier.equals(value)) {
                    throw new RejectedRequest(400, "two different Content-Length fields: " + earlier + " and " + value);
                }
            } else {
                fields.put(name, earlier + ", " + value);
            }
        }
    }

    private byte[] readBody(Map<String, String> headers, int minorVersion) throws IOException, RejectedRequest {
        String transferEncoding = headers.get("transfer-encoding");
        String contentLength = headers.get("content-length");
        if (transferEncoding != null) {
            if (contentLength != null) { // the classic request smuggling ambiguity (RFC 9112 section 6.1)
                throw new RejectedRequest(400, "both Transfer-Encoding and Content-Length are set");
            }
            if (!transferEncoding.equalsIgnoreCase("chunked")) {
                throw new RejectedRequest(501, "Transfer-Encoding " + quote(transferEncoding) + " is not supported; send chunked or Content-Length");
            }
            expectContinue(headers, minorVersion);
            return readChunked();
        }
        if (contentLength == null) {
            expectContinue(headers, -1);
            return NO_BODY;
        }
        long length = parseLength(contentLength);
        if (length > MAX_BODY) {
            // Refused before any 100 Continue, so a client that waits for it never sends the body.
            throw new RejectedRequest(413, "the body (" + length + " bytes) is over the limit of " + MAX_BODY + " bytes");
        }
        expectContinue(headers, length == 0 ? -1 : minorVersion);
        byte[] body = length == 0 ? NO_BODY : new byte[(int) length];
        readFully(body, 0, body.length);
        return body;
    }

    /**
     * Answers {@code Expect: 100-continue} with the interim response the client waits for before it
     * sends the body (curl does for bodies over 1 MiB). Not to HTTP/1.0 clients, which do not know
     * 1xx responses, nor when no body is to come ({@code minorVersion} -1).
     */
    private void expectContinue(Map<String, String> headers, int minorVersion) throws IOException, RejectedRequest {
        String expect = headers.get("expect");
        if (expect == null) {
            return;
        }
        if (!expect.equalsIgnoreCase("100-continue")) {
            throw new RejectedRequest(417, "unsupported expectation " + quote(expect));
        }
        if (minorVersion >= 1) {
            interim.write(CONTINUE);
        }
    }

    /** A chunked body (RFC 9112 section 7.1), its chunks joined; extensions and trailers ignored. */
    private byte[] readChunked() throws IOException, RejectedRequest {
        byte[] body = new byte[Math.max(256, Math.min(lim - pos, MAX_BODY))];
        int size = 0;
        while (true) {
            String line = readLine(MAX_CHUNK_LINE, 400, "a chunk-size line");
            if (line == null) {
                throw new EOFException("the connection closed inside a chunked body");
            }
            int chunk = parseChunkSize(line, MAX_BODY - size);
            if (chunk == 0) {
                break;
            }
            if (body.length - size < chunk) {
                body = Arrays.copyOf(body, (int) Math.min(MAX_BODY, Math.max(2L * body.length, (long) size + chunk)));
            }
            readFully(body, size, chunk);
            size += chunk;
            String end = readLine(2, 400, "the line end after a chunk");
            if (end == null || !end.isEmpty()) {
                throw new RejectedRequest(400, "a chunk of the body is longer than its size line said");
            }
        }
        readFields(MAX_HEAD, 431, "the chunked body's trailer");
        return size == body.length ? body : Arrays.copyOf(body, size);
    }

    /** The hex size before any ";extension", refused with 413 if over {@code max}. */
    private static int parseChunkSize(String line, int max) throws RejectedRequest {
        int semicolon = line.indexOf(';');
        String hex = stripWhitespace(semicolon < 0 ? line : line.substring(0, semicolon));
        if (hex.isEmpty()) {
            throw malformed("chunk-size line", line);
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0) {
                throw malformed("chunk-size line", line);
            }
            size = size * 16 + digit;
            if (size > max) {
                throw new RejectedRequest(413, "the chunked body is over the limit of " + MAX_BODY + " bytes");
            }
        }
        return (int) size;
    }

    private static long parseLength(String value) throws RejectedRequest {
        if (value.isEmpty() || value.length() > 18) {
            throw new RejectedRequest(400, "bad Content-Length " + quote(value));
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isDigit(c)) {
                throw new RejectedRequest(400, "bad Content-Length " + quote(value));
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /** The path of an origin-form ("/a?q") or absolute-form ("http://h/a?q") target, without the query. */
    private static String path(String target, String requestLine) throws RejectedRequest {
        String path = target;
        int scheme = target.indexOf("://");
        if (scheme > 0 && !target.startsWith("/")) {
            int slash = target.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : target.substring(slash);
        } else if (!target.startsWith("/") && !target.equals("*")) {
            throw malformed("request target in the request line", requestLine);
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /**
     * The next line (Latin-1, without its LF or CRLF), consuming at most {@code max} bytes with its
     * line end; null if the stream ends before its first byte.
     */
    private String readLine(int max, int tooLongStatus, String what) throws IOException, RejectedRequest {
        int scanned = 0; // bytes after pos already searched for LF
        while (true) {
            for (int i = pos + scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    int n = i + 1 - pos;
                    if (n > max) {
                        break;
                    }
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    lineBytes = n;
                    return line;
                }
            }
            if (lim - pos >= max) {
                throw new RejectedRequest(tooLongStatus, what + " is over the limit of " + max + " bytes");
            }
            scanned = lim - pos;
            compact();
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                if (lim == pos) {
                    return null;
                }
                throw new EOFException("the connection closed inside " + what);
            }
            lim += n;
        }
    }

    /** Fills {@code b[off, off+len)} from the buffer first, then straight from the socket. */
    private void readFully(byte[] b, int off, int len) throws IOException {
        int buffered = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, b, off, buffered);
        pos += buffered;
        for (int done = buffered; done < len; ) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                throw new EOFException("the connection closed with " + (len - done) + " bytes of the body still to come");
            }
            done += n;
        }
    }

    /** Moves the unread bytes to the front of the buffer. */
    private void compact() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
    }

    private static RejectedRequest malformed(String what, String line) {
        return new RejectedRequest(400, "malformed " + what + ": " + quote(line));
    }

    /** A line for an error message: at most 200 characters, control characters escaped. */
    private static String quote(String line) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < Math.min(line.length(), 200); i++) {
            char c = line.charAt(i);
            if (c < ' ' || c >= 0x7f) {
                s.append(String.format("\\x%02x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append(line.length() > 200 ? "\"…" : "\"").toString();
    }

    /** Strips the optional whitespace (spaces and tabs) HTTP allows around field values. */
    private static String stripWhitespace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** RFC 9110 section 5.6.2: a method or a field name. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
