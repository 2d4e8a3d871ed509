package org.chatcorpus.llm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model endpoint scripted byte by byte: a plain ServerSocket hands every accepted connection to
 * a script, which reads requests and writes exactly the bytes a test wants, malformed or not.
 * The connection is closed when its script returns.
 */
final class RawHttpServer implements AutoCloseable {
    /** What to do on one accepted connection. */
    interface Script {
        void serve(Connection c) throws Exception;
    }

    /** A request as it arrived. */
    record Request(int connection, String requestLine, List<String> headerLines, byte[] body) {
        /** The value of the first header of that name (any case), or null. */
        String header(String name) {
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One accepted connection, numbered from 1 in accept order. */
    final class Connection {
        final int number;
        final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(int number, Socket socket) throws IOException {
            this.number = number;
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** The next request on this connection, or null when the client closed it. */
        Request readRequest() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
            if (b < 0) {
                return null;
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
            int length = 0;
            for (String line : headers) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            Request r = new Request(number, lines[0], headers, body);
            requests.add(r);
            return r;
        }

        /** Blocks until the client closes the connection (or the server is closed). */
        void awaitClientClose() {
            try {
                while (in.read() >= 0) {
                    // discard
                }
            } catch (IOException e) {
                // closed either way
            }
        }

        void write(String s) throws IOException {
            write(s.getBytes(StandardCharsets.UTF_8));
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;

    RawHttpServer(Script script) throws IOException {
        this(InetAddress.getLoopbackAddress(), script);
    }

    RawHttpServer(InetAddress address, Script script) throws IOException {
        this.server = new ServerSocket(0, 50, address);
        this.script = script;
        this.acceptor = new Thread(this::acceptLoop, "raw-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(s);
            int number = accepted.incrementAndGet();
            Thread t = new Thread(() -> {
                try (s) {
                    script.serve(new Connection(number, s));
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "raw-http-" + number);
            t.setDaemon(true);
            t.start();
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** e.g. "http://127.0.0.1:40123/v1" */
    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** How many connections were accepted. */
    int accepted() {
        return accepted.get();
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<Throwable> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
