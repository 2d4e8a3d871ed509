package org.chatcorpus.server.arena.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** One TCP connection to a destination, with its buffers; used by one request at a time. */
final class HttpConnection implements Closeable {
    static final int BUFFER_SIZE = 8192;
    /** Request buffers larger than this (a long conversation) are not kept by an idle connection. */
    private static final int KEPT_REQUEST_BUFFER = 64 * 1024;

    private final Socket socket;
    private final OutputStream out;
    private final ConnectionInput input;
    private byte[] request = new byte[BUFFER_SIZE];
    private long idleSince;

    private HttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.input = new ConnectionInput(socket.getInputStream(), BUFFER_SIZE);
    }

    /**
     * Connects with TCP_NODELAY (a request goes out at once, not after the ACK of the previous
     * segment) and the given timeout for the connect and for every read.
     */
    static HttpConnection open(String host, int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return new HttpConnection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    ConnectionInput input() {
        return input;
    }

    /**
     * Sends the request head and body in one write: written separately, the body would wait for the
     * server's ACK of the head, which it delays by up to 40 ms (delayed ACK).
     */
    void send(byte[] head, byte[] body) throws IOException {
        int length = head.length + body.length;
        byte[] buf = request.length >= length ? request : new byte[Math.max(length, 2 * request.length)];
        if (buf.length <= KEPT_REQUEST_BUFFER) {
            request = buf;
        }
        System.arraycopy(head, 0, buf, 0, head.length);
        System.arraycopy(body, 0, buf, head.length, body.length);
        out.write(buf, 0, length);
    }

    void markIdle(long nanoTime) {
        idleSince = nanoTime;
    }

    long idleSince() {
        return idleSince;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
