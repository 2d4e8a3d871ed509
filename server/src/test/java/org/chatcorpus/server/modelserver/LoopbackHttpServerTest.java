package org.chatcorpus.server.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loopback model's HTTP/1.1 server, spoken to byte by byte: keep-alive and closing, request
 * framing (Content-Length, chunked, 100-continue), limits and malformed input, response framing
 * (a fast answer as one chunk, a slow one a chunk per event), and many concurrent clients.
 */
class LoopbackHttpServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    // ---- connections ---------------------------------------------------------------------------

    @Test
    void twoRequestsOnOneConnectionAreBothAnswered() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send(post("/v1/chat/completions", completion("vicuna-13b", "first", false), ""));
            Response first = c.read();
            c.send(post("/v1/chat/completions", completion("vicuna-13b", "second", false), ""));
            Response second = c.read();
            assertThat(first.status).isEqualTo(200);
            assertThat(first.header("connection")).isNull();
            assertThat(content(first)).isEqualTo(ScriptedModelServer.answer("vicuna-13b", "first"));
            assertThat(second.status).isEqualTo(200);
            assertThat(content(second)).isEqualTo(ScriptedModelServer.answer("vicuna-13b", "second"));
        }
    }

    @Test
    void pipelinedRequestsSentInOneWriteAreAnsweredInOrder() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send(post("/v1/chat/completions", completion("m", "one", false), "")
                    + post("/v1/chat/completions", completion("m", "two", true), "")
                    + "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(content(c.read())).isEqualTo(ScriptedModelServer.answer("m", "one"));
            assertThat(streamedText(c.read())).isEqualTo(ScriptedModelServer.answer("m", "two"));
            assertThat(c.read().bodyText()).isEqualTo("{\"object\":\"list\",\"data\":[]}");
        }
    }

    @Test
    void connectionCloseIsHonouredAfterTheResponse() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send(post("/v1/chat/completions", completion("m", "bye", false), "Connection: close\r\n"));
            Response r = c.read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(content(r)).isEqualTo(ScriptedModelServer.answer("m", "bye"));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void anHttp10RequestIsAnsweredThenClosed() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send("GET /v1/models HTTP/1.0\r\n\r\n");
            Response r = c.read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(r.bodyText()).isEqualTo("{\"object\":\"list\",\"data\":[]}");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void anHttp10RequestWithKeepAliveKeepsTheConnection() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send("GET /v1/models HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Response first = c.read();
            assertThat(first.header("connection")).isEqualTo("keep-alive");
            c.send("GET /v1/models HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(c.read().status).isEqualTo(200);
        }
    }

    @Test
    void anHttp10ClientGetsTheStreamWithoutChunkingAndTheEndOfTheConnectionEndsIt() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            byte[] body = completion("m", "old client", true);
            c.send("POST /v1/chat/completions HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: " + body.length + "\r\n\r\n"
                    + new String(body, StandardCharsets.UTF_8));
            Response r = c.read();
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(r.chunks).isNull();
            assertThat(streamedText(r)).isEqualTo(ScriptedModelServer.answer("m", "old client"));
        }
    }

    @Test
    void aClientThatDisconnectsMidStreamDoesNotDisturbTheNextClient() throws IOException {
        ScriptedModelServer server = start(20);
        try (RawClient quitter = connect(server)) {
            quitter.send(post("/v1/chat/completions", completion("slow-model", "I will not wait for this", true), ""));
            quitter.readHead();
            assertThat(quitter.readChunk()).isNotNull(); // the stream is under way
        }
        try (RawClient next = connect(server)) {
            next.send(post("/v1/chat/completions", completion("vicuna-13b", "still there?", true), ""));
            assertThat(streamedText(next.read())).isEqualTo(ScriptedModelServer.answer("vicuna-13b", "still there?"));
        }
    }

    @Test
    void closeMakesThePortRefuseConnectionsAndClosesOpenOnes() throws IOException {
        ScriptedModelServer server = ScriptedModelServer.start(0);
        int port = server.port();
        try (RawClient idle = connect(server)) {
            idle.send("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idle.read().status).isEqualTo(200);
            server.close();
            assertThat(idle.closedByServer()).isTrue();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void anIdleConnectionIsClosedQuietlyAfterTheIdleTimeout() throws IOException {
        LoopbackHttpServer server = LoopbackHttpServer.start(0, (request, response) ->
                response.send(200, "text/plain", "ok".getBytes(StandardCharsets.US_ASCII)), 200);
        toClose.add(server);
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("ok");
            assertThat(c.closedByServer()).isTrue(); // no answer, no error: the connection just ends
        }
    }

    @Test
    void aHandlerThatFailsBeforeAnsweringGives500AndClosesTheConnection() throws IOException {
        LoopbackHttpServer server = LoopbackHttpServer.start(0, (request, response) -> {
            throw new IllegalStateException("scripted bug");
        });
        toClose.add(server);
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = c.read();
            assertThat(r.status).isEqualTo(500);
            assertThat(errorMessage(r)).contains("scripted bug");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    // ---- request framing -----------------------------------------------------------------------

    @Test
    void aChunkedRequestBodyIsDecoded() throws IOException {
        ScriptedModelServer server = start(0);
        String body = new String(completion("m", "sent in chunks ✓", false), StandardCharsets.UTF_8);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int third = bytes.length / 3;
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\ntransfer-encoding: Chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        request.writeBytes((Integer.toHexString(third) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.write(bytes, 0, third);
        request.writeBytes(("\r\n" + Integer.toHexString(bytes.length - third).toUpperCase(Locale.ROOT) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
        request.write(bytes, third, bytes.length - third);
        request.writeBytes("\r\n0\r\nX-Trailer: ignored\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (RawClient c = connect(server)) {
            c.send(request.toByteArray());
            Response r = c.read();
            assertThat(r.status).isEqualTo(200);
            assertThat(content(r)).isEqualTo(ScriptedModelServer.answer("m", "sent in chunks ✓"));
            // the connection is still in step: the next request is read from where the body ended
            c.send("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().status).isEqualTo(200);
        }
    }

    @Test
    void expect100ContinueIsAnsweredBeforeTheBodyIsSent() throws IOException {
        ScriptedModelServer server = start(0);
        byte[] body = completion("m", "may I?", false);
        try (RawClient c = connect(server)) {
            c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n");
            assertThat(c.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(c.readLine()).isEmpty();
            c.send(body);
            Response r = c.read();
            assertThat(r.status).isEqualTo(200);
            assertThat(content(r)).isEqualTo(ScriptedModelServer.answer("m", "may I?"));
        }
    }

    @Test
    void headerNamesAreCaseInsensitive() throws IOException {
        ScriptedModelServer server = start(0);
        byte[] body = completion("m", "case", false);
        try (RawClient c = connect(server)) {
            c.send("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncOnTeNt-LeNgTh: " + body.length + "\r\nCONNECTION: Close\r\n\r\n"
                    + new String(body, StandardCharsets.UTF_8));
            assertThat(content(c.read())).isEqualTo(ScriptedModelServer.answer("m", "case"));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    // ---- hostile and wrong requests --------------------------------------------------------------

    @Test
    void anOversizeHeadIsRefusedWith431AndTheConnectionClosed() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(RequestReader.MAX_HEAD) + "\r\n\r\n");
            Response r = c.read();
            assertThat(r.status).isEqualTo(431);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(errorMessage(r)).contains("over the limit");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void anOversizeBodyIsRefusedWith413BeforeItIsSent() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
                    + (RequestReader.MAX_BODY + 1) + "\r\n\r\n");
            Response r = c.read(); // not 100 Continue: the client is told not to send the body at all
            assertThat(r.status).isEqualTo(413);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void anOversizeChunkedBodyIsRefusedWith413() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(RequestReader.MAX_BODY + 1) + "\r\n");
            assertThat(c.read().status).isEqualTo(413);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aMalformedRequestLineIsRefusedWith400() throws IOException {
        ScriptedModelServer server = start(0);
        for (String bad : List.of("GARBAGE\r\n\r\n", "GET  /v1/models HTTP/1.1\r\n\r\n", "GET /v1/models HTTP/one\r\n\r\n",
                "GET v1/models HTTP/1.1\r\n\r\n", "GET /v1/models HTTP/1.1\r\nBad Header: x\r\n\r\n",
                "GET /v1/models HTTP/1.1\r\nX: folded\r\n continued\r\n\r\n")) {
            try (RawClient c = connect(server)) {
                c.send(bad);
                Response r = c.read();
                assertThat(r.status).as(bad).isEqualTo(400);
                assertThat(errorMessage(r)).as(bad).startsWith("malformed").doesNotContain("\r");
                assertThat(c.closedByServer()).as(bad).isTrue();
            }
        }
    }

    @Test
    void bothContentLengthAndChunkedIsRefusedWith400() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
            assertThat(c.read().status).isEqualTo(400);
        }
    }

    @Test
    void anUnknownPathIs404WithAJsonError() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send("GET /v1/nothing-here?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = c.read();
            assertThat(r.status).isEqualTo(404);
            assertThat(r.header("content-type")).isEqualTo("application/json");
            assertThat(errorMessage(r)).contains("/v1/nothing-here");
            c.send("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n"); // a 404 keeps the connection
            assertThat(c.read().status).isEqualTo(200);
        }
    }

    @Test
    void getOnTheCompletionsPathIs405() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send("GET /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = c.read();
            assertThat(r.status).isEqualTo(405);
            assertThat(r.header("allow")).isEqualTo("POST");
            assertThat(errorMessage(r)).contains("POST");
        }
    }

    // ---- responses -----------------------------------------------------------------------------

    @Test
    void theNonStreamingCompletionIsTheOpenAiJson() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send(post("/v1/chat/completions", completion("vicuna-13b", "Hello \"there\"", false), ""));
            Response r = c.read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.header("content-type")).isEqualTo("application/json");
            assertThat(r.header("content-length")).isEqualTo(String.valueOf(r.body.length));
            String answer = ScriptedModelServer.answer("vicuna-13b", "Hello \"there\"").replace("\"", "\\\"");
            assertThat(r.bodyText()).isEqualTo("{\"id\":\"chatcmpl-scripted\",\"object\":\"chat.completion\",\"model\":\"vicuna-13b\","
                    + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"" + answer + "\"}}]}");
        }
    }

    @Test
    void theModelListAnswersGetAndHead() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send("GET /v1/models/ HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("{\"object\":\"list\",\"data\":[]}");
            c.send("HEAD /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
            Response head = c.readHead();
            assertThat(head.status).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("27");
            c.send("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n"); // no body came after the HEAD's head
            assertThat(c.read().bodyText()).isEqualTo("{\"object\":\"list\",\"data\":[]}");
        }
    }

    @Test
    void aBrokenModelAnswers500WithAJsonError() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send(post("/v1/chat/completions", completion("broken-model", "hi", true), ""));
            Response r = c.read();
            assertThat(r.status).isEqualTo(500);
            assertThat(r.bodyText()).isEqualTo("{\"error\":{\"message\":\"scripted failure\"}}");
        }
    }

    @Test
    void aFastModelsWholeStreamIsOneChunk() throws IOException {
        ScriptedModelServer server = start(0);
        try (RawClient c = connect(server)) {
            c.send(post("/v1/chat/completions", completion("vicuna-13b", "one burst please", true), ""));
            Response r = c.read();
            assertThat(r.header("content-type")).isEqualTo("text/event-stream");
            assertThat(r.header("cache-control")).isEqualTo("no-cache");
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.chunks).hasSize(1);
            String answer = ScriptedModelServer.answer("vicuna-13b", "one burst please");
            assertThat(events(r.chunks.get(0))).hasSize(ScriptedModelServer.pieces(answer).size() + 1);
            assertThat(streamedText(r)).isEqualTo(answer);
        }
    }

    @Test
    void aSlowModelsEventsArriveAsSeparateChunks() throws IOException {
        ScriptedModelServer server = start(1);
        try (RawClient c = connect(server)) {
            c.send(post("/v1/chat/completions", completion("slow-model", "one token at a time", true), ""));
            Response r = c.read();
            String answer = ScriptedModelServer.answer("slow-model", "one token at a time");
            List<String> pieces = ScriptedModelServer.pieces(answer);
            // one chunk per event, as generated, then [DONE] with the end of the body
            assertThat(r.chunks).hasSize(pieces.size() + 1);
            for (int i = 0; i < pieces.size(); i++) {
                List<String> events = events(r.chunks.get(i));
                assertThat(events).hasSize(1);
                assertThat(JSON.readTree(events.get(0)).at("/choices/0/delta/content").asText()).isEqualTo(pieces.get(i));
            }
            assertThat(events(r.chunks.get(pieces.size()))).containsExactly("[DONE]");
        }
    }

    // ---- load ----------------------------------------------------------------------------------

    @Test
    void concurrentClientsAreAllAnsweredCorrectly() throws Exception {
        ScriptedModelServer server = start(0);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        String model = "model-" + (thread % 4);
                        String prompt = "thread " + thread + " request " + i + " ✓";
                        boolean stream = i % 2 == 0;
                        String got = viaHttpUrlConnection(server, model, prompt, stream);
                        if (!got.equals(ScriptedModelServer.answer(model, prompt))) {
                            wrong.add(prompt + " -> " + got);
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<List<String>> r : results) {
                assertThat(r.get(120, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private ScriptedModelServer start(long slowMillis) throws IOException {
        ScriptedModelServer server = ScriptedModelServer.start(0, slowMillis);
        toClose.add(server);
        return server;
    }

    private RawClient connect(ScriptedModelServer server) throws IOException {
        return new RawClient(server.port());
    }

    private static byte[] completion(String model, String prompt, boolean stream) throws IOException {
        var body = JSON.createObjectNode().put("model", model).put("stream", stream);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return JSON.writeValueAsBytes(body);
    }

    /** A POST with Content-Length; {@code extraHeaders} are whole lines with their CRLF. */
    private static String post(String path, byte[] body, String extraHeaders) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extraHeaders
                + "Content-Length: " + body.length + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8);
    }

    private static String content(Response r) throws IOException {
        return JSON.readTree(r.body).at("/choices/0/message/content").asText();
    }

    private static String errorMessage(Response r) throws IOException {
        return JSON.readTree(r.body).at("/error/message").asText();
    }

    /** The data of each SSE event in the bytes. */
    private static List<String> events(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n\n");
        List<String> data = new ArrayList<>();
        for (String event : text.split("\n\n")) {
            assertThat(event).startsWith("data: ");
            data.add(event.substring(6));
        }
        return data;
    }

    private static String streamedText(Response r) throws IOException {
        List<String> events = events(r.body);
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            text.append(JSON.readTree(e).at("/choices/0/delta/content").asText());
        }
        return text.toString();
    }

    private static String viaHttpUrlConnection(ScriptedModelServer server, String model, String prompt, boolean stream) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(server.baseUrl() + "/chat/completions").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(completion(model, prompt, stream));
        }
        if (c.getResponseCode() != 200) {
            return "HTTP " + c.getResponseCode();
        }
        try (InputStream in = c.getInputStream()) {
            Response r = new Response(200, Map.of(), in.readAllBytes(), null);
            return stream ? streamedText(r) : content(r);
        }
    }

    /** A response as it arrived: chunks is null unless the body was chunked. */
    private record Response(int status, Map<String, String> headers, byte[] body, List<byte[]> chunks) {
        String header(String name) {
            return headers.get(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One TCP connection, read byte by byte; every read gives up after 10 s so a bug fails rather than hangs. */
    private static final class RawClient implements Closeable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void send(String ascii) throws IOException {
            send(ascii.getBytes(StandardCharsets.UTF_8));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
        }

        /** A whole response: head, then the body by its framing. */
        Response read() throws IOException {
            Response h = readHead();
            if ("chunked".equals(h.header("transfer-encoding"))) {
                List<byte[]> chunks = new ArrayList<>();
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (byte[] chunk; (chunk = readChunk()) != null; ) {
                    chunks.add(chunk);
                    body.writeBytes(chunk);
                }
                return new Response(h.status, h.headers, body.toByteArray(), chunks);
            }
            if (h.header("content-length") != null) {
                return new Response(h.status, h.headers, in.readNBytes(Integer.parseInt(h.header("content-length"))), null);
            }
            return new Response(h.status, h.headers, in.readAllBytes(), null); // until the server closes
        }

        /** The status line and headers (names lower-cased); the body is left unread. */
        Response readHead() throws IOException {
            String status = readLine();
            assertThat(status).startsWith("HTTP/1.1 ");
            Map<String, String> headers = new HashMap<>();
            for (String line; !(line = readLine()).isEmpty(); ) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            return new Response(Integer.parseInt(status.substring(9, 12)), headers, new byte[0], null);
        }

        /** The next chunk's data, checking its framing; null after the last (zero-size) chunk and its trailer. */
        byte[] readChunk() throws IOException {
            int size = Integer.parseInt(readLine(), 16);
            if (size == 0) {
                assertThat(readLine()).isEmpty();
                return null;
            }
            byte[] data = in.readNBytes(size);
            assertThat(data).hasSize(size);
            assertThat(readLine()).isEmpty();
            return data;
        }

        /** A CRLF-terminated line (a bare LF is a framing error here). */
        String readLine() throws IOException {
            StringBuilder s = new StringBuilder();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the server closed the connection in the middle of a line: " + s);
                }
                if (b == '\n') {
                    assertThat(s.toString()).endsWith("\r");
                    return s.substring(0, s.length() - 1);
                }
                s.append((char) b);
            }
        }

        /** Whether the server closed its side: the next read ends the stream (or the connection was reset). */
        boolean closedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
