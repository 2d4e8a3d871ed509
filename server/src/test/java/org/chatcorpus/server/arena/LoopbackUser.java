package org.chatcorpus.server.arena;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A test user that connects from a chosen loopback address (127.0.0.N), so the server sees distinct
 * client addresses, and sends bytes exactly as given (a raw JSON body with "\ud800", any Origin).
 * HTTP/1.0 with one request per connection: the answer is whatever arrives until the server closes.
 */
final class LoopbackUser {
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final InetAddress from;
    private final int port;
    private String cookie;

    LoopbackUser(String fromAddress, int port) throws IOException {
        this.from = InetAddress.getByName(fromAddress);
        this.port = port;
    }

    String cookie() {
        return cookie;
    }

    Response consent() throws IOException {
        return send("POST", "/consent", List.of(), null);
    }

    Response postJson(String path, String json, String... headers) throws IOException {
        List<String> h = new java.util.ArrayList<>(List.of(headers));
        h.add("Content-Type: application/json");
        return send("POST", path, h, json.getBytes(StandardCharsets.UTF_8));
    }

    Response get(String path) throws IOException {
        return send("GET", path, List.of(), null);
    }

    /** Sends one request; keeps the session cookie the server sets, as a browser would. */
    Response send(String method, String path, List<String> headers, byte[] body) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            if (cookie != null) {
                head.append("Cookie: ").append(cookie).append("\r\n");
            }
            head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    private Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, split < 0 ? text.length() : split).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + "\n" + b);
            if (name.equals("set-cookie") && value.startsWith(ArenaApp.SESSION_COOKIE + "=")) {
                cookie = value.split(";", 2)[0];
            }
        }
        return new Response(status, headers, split < 0 ? "" : text.substring(split + 4));
    }
}
