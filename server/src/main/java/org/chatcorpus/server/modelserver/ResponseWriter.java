package org.chatcorpus.server.modelserver;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes the responses of one connection. Each call puts everything that is ready (the head, the
 * body or a chunk, the end of a chunked body) into one buffer and hands it to the socket in one
 * write: separate writes would cost a system call each and, with TCP_NODELAY, a segment each.
 *
 * <p>A response is either fixed ({@link #send}, with {@code Content-Length}) or streamed
 * ({@link #startChunked}, then {@link #writeChunk} any number of times, then {@link #endChunked}).
 * To an HTTP/1.0 client, which does not know chunked coding, a streamed body is sent as is and
 * ends with the connection.
 */
final class ResponseWriter {
    /** A buffer grown past this by a large response is not kept for the next one. */
    private static final int KEPT_BUFFER = 64 * 1024;

    private final OutputStream out;
    private byte[] buf = new byte[4096];
    private int len;

    private boolean keepAlive;
    private boolean http10;
    private boolean headRequest;
    private boolean started;
    private boolean committed;
    private boolean complete;
    private boolean chunked;

    ResponseWriter(OutputStream out) {
        this.out = out;
    }

    /** Prepares for the response to {@code request}. */
    void begin(HttpRequest request) {
        keepAlive = request.keepAlive();
        http10 = request.http10();
        headRequest = request.method().equals("HEAD");
        started = false;
        committed = false;
        complete = false;
        chunked = false;
        len = 0;
    }

    /** Whether the connection may carry another request once this response is complete. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** Whether any byte of the response has been sent (then no other response can replace it). */
    boolean committed() {
        return committed;
    }

    /** Whether the whole response has been written. */
    boolean complete() {
        return complete;
    }

    /**
     * Answers a request that could not be read, or whose handling failed before any byte of its
     * response was sent, and marks the connection for closing.
     */
    void reject(int status, byte[] jsonBody) throws IOException {
        keepAlive = false;
        http10 = false;
        headRequest = false;
        started = false;
        chunked = false;
        send(status, "application/json", jsonBody);
    }

    /** A whole response with {@code Content-Length}; {@code extraHeaders} are complete field lines ("Allow: POST"). */
    void send(int status, String contentType, byte[] body, String... extraHeaders) throws IOException {
        head(status, contentType, extraHeaders);
        ascii("Content-Length: ").number(body.length).ascii("\r\n\r\n");
        if (!headRequest) {
            bytes(body, 0, body.length);
        }
        complete = true;
        flush();
    }

    /** Starts a streamed response; nothing is written until the first chunk. */
    void startChunked(int status, String contentType, String... extraHeaders) {
        if (http10) {
            keepAlive = false; // the end of the connection is the only end of a body HTTP/1.0 knows
        }
        head(status, contentType, extraHeaders);
        if (!http10) {
            ascii("Transfer-Encoding: chunked\r\n");
        }
        ascii("\r\n");
        chunked = true;
    }

    /** Writes {@code b[off, off+n)} as one chunk (with the head, if not yet written) and sends it at once. */
    void writeChunk(byte[] b, int off, int n) throws IOException {
        chunk(b, off, n);
        flush();
    }

    /** Writes the last data as one chunk and the end of the body, in one write with anything still unsent. */
    void endChunked(byte[] b, int off, int n) throws IOException {
        chunk(b, off, n);
        if (!http10 && !headRequest) {
            ascii("0\r\n\r\n");
        }
        complete = true;
        flush();
    }

    private void chunk(byte[] b, int off, int n) {
        if (!chunked) {
            throw new IllegalStateException("a chunk outside a chunked response");
        }
        if (n == 0 || headRequest) {
            return; // a zero-size chunk would end the body
        }
        if (http10) {
            bytes(b, off, n);
            return;
        }
        ascii(Integer.toHexString(n)).ascii("\r\n");
        bytes(b, off, n);
        ascii("\r\n");
    }

    private void head(int status, String contentType, String... extraHeaders) {
        if (started) {
            throw new IllegalStateException("a response was already started");
        }
        started = true;
        len = 0;
        ascii("HTTP/1.1 ").number(status).ascii(" ").ascii(reason(status)).ascii("\r\n");
        ascii("Content-Type: ").ascii(contentType).ascii("\r\n");
        for (String h : extraHeaders) {
            ascii(h).ascii("\r\n");
        }
        if (!keepAlive) {
            ascii("Connection: close\r\n");
        } else if (http10) {
            ascii("Connection: keep-alive\r\n");
        }
    }

    private void flush() throws IOException {
        committed = true;
        try {
            out.write(buf, 0, len);
        } finally {
            len = 0;
            if (buf.length > KEPT_BUFFER) {
                buf = new byte[4096];
            }
        }
    }

    private ResponseWriter ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    private ResponseWriter number(int n) {
        return ascii(Integer.toString(n));
    }

    private void bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void ensure(int n) {
        if (buf.length - len < n) {
            buf = Arrays.copyOf(buf, Math.max(2 * buf.length, len + n));
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 417 -> "Expectation Failed";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}
