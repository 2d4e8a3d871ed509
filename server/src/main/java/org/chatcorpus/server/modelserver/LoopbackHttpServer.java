package org.chatcorpus.server.modelserver;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small blocking HTTP/1.1 server on 127.0.0.1: one thread accepts, and each connection is served
 * by its own thread, which reads a request, lets the handler answer it, and waits for the next.
 *
 * <p>Why not Jetty, as the Arena itself: this serves the loopback model, a test double that in
 * load tests shares two cores with the Arena it answers. Jetty's machinery (selector wake-ups,
 * hand-offs between selector and worker threads, interest-op changes) took a large share of the
 * CPU the Arena needed, and a real model runs on other machines. Its clients keep a connection per
 * concurrent call and send one request at a time, which a thread per connection serves with a
 * blocking read and one write per response, and nothing else.
 */
final class LoopbackHttpServer implements AutoCloseable {
    /** Answers one request. It must produce a whole response or throw. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpRequest request, ResponseWriter response) throws IOException;
    }

    static final int IDLE_TIMEOUT_MILLIS = 60_000;
    /** Room for bursts of new connections: the Arena's pool opens up to 256 at once under load. */
    private static final int BACKLOG = 1024;
    /** How long a connection closed after an error waits for the client to read the answer. */
    private static final int LINGER_MILLIS = 1_000;
    private static final int LINGER_MAX_BYTES = 16 * 1024 * 1024;
    private static final System.Logger LOG = System.getLogger(LoopbackHttpServer.class.getName());

    private final ServerSocket serverSocket;
    private final Handler handler;
    private final int idleTimeoutMillis;
    private final ExecutorService connectionThreads;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private LoopbackHttpServer(ServerSocket serverSocket, Handler handler, int idleTimeoutMillis) {
        this.serverSocket = serverSocket;
        this.handler = handler;
        this.idleTimeoutMillis = idleTimeoutMillis;
        int port = serverSocket.getLocalPort();
        AtomicInteger count = new AtomicInteger();
        this.connectionThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-http-" + port + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "loopback-http-" + port + "-accept");
        acceptor.setDaemon(true);
    }

    /** Listens on 127.0.0.1:{@code port} (0 picks a free port) and serves every request with {@code handler}. */
    static LoopbackHttpServer start(int port, Handler handler) throws IOException {
        return start(port, handler, IDLE_TIMEOUT_MILLIS);
    }

    static LoopbackHttpServer start(int port, Handler handler, int idleTimeoutMillis) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), BACKLOG);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        LoopbackHttpServer server = new LoopbackHttpServer(socket, handler, idleTimeoutMillis);
        server.acceptor.start();
        return server;
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // Out of file descriptors, say: the connection waits in the backlog; try again shortly.
                LOG.log(System.Logger.Level.WARNING, "loopback HTTP server on port " + port() + " could not accept: " + e);
                pause();
                continue;
            }
            connections.add(socket);
            if (closed) { // close() may have swept the connections before this one was added
                closeQuietly(socket);
                return;
            }
            try {
                connectionThreads.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) { // closed meanwhile
                closeQuietly(socket);
            }
        }
    }

    /** Serves the requests of one connection until it closes, fails, idles out or the server closes. */
    private void serve(Socket socket) {
        try {
            // A response goes out at once, not after the ACK of the previous one.
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(idleTimeoutMillis);
            RequestReader reader = new RequestReader(socket.getInputStream(), socket.getOutputStream());
            ResponseWriter writer = new ResponseWriter(socket.getOutputStream());
            while (!closed) {
                HttpRequest request;
                try {
                    request = reader.read();
                } catch (RejectedRequest e) {
                    writer.reject(e.status(), errorJson(e.getMessage()));
                    lingeringClose(socket);
                    return;
                }
                if (request == null) {
                    return; // the client closed its idle connection
                }
                writer.begin(request);
                try {
                    handler.handle(request, writer);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "loopback HTTP handler failed on " + request.method() + " " + request.path(), e);
                    if (!writer.committed()) {
                        writer.reject(500, errorJson("the handler failed: " + e));
                    }
                    return;
                }
                if (!writer.complete()) {
                    if (!writer.committed()) {
                        writer.reject(500, errorJson("the handler did not answer"));
                    }
                    return;
                }
                if (!writer.keepAlive()) {
                    lingeringClose(socket);
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away (possibly mid-stream), idled past the timeout, or close() closed
            // the socket: there is no one left to answer.
        } finally {
            connections.remove(socket);
            closeQuietly(socket);
        }
    }

    /**
     * Closes after a response the client may not have read yet: closing a socket with unread input
     * sends a reset, which can destroy the response in the client's buffers (a 413 answered while
     * the body still streams in, say). So the output is shut first and the input read until the
     * client closes, for a bounded time and amount.
     */
    private static void lingeringClose(Socket socket) {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(LINGER_MILLIS);
            InputStream in = socket.getInputStream();
            byte[] discard = new byte[8192];
            long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            for (long total = 0; total < LINGER_MAX_BYTES && System.nanoTime() < deadline; ) {
                int n = in.read(discard);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (IOException e) {
            // timed out or reset: close anyway
        } finally {
            closeQuietly(socket);
        }
    }

    static byte[] errorJson(String message) {
        return ("{\"error\":{\"message\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting (the port refuses connections once this returns) and closes every open
     * connection, ending the streams in progress.
     */
    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : connections) {
            closeQuietly(s);
        }
        connectionThreads.shutdownNow();
        try {
            acceptor.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
