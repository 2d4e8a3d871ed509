package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.server.arena.ChatCompletionClient.ModelError;
import org.chatcorpus.server.arena.http.Header;
import org.chatcorpus.server.arena.http.HttpTarget;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Arena's HTTP/1.1 client for plain-http model endpoints, against servers that write exactly
 * the bytes each test scripts (framings, connection reuse and loss, errors, hostile input), and
 * against the real scripted model server under concurrent load.
 */
class ModelHttpClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK_CHUNKED = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ChatCompletionClient client = new ChatCompletionClient(Duration.ofSeconds(10));
    private final List<String> deltas = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void closeAll() throws Exception {
        client.close();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    // ---- framings -------------------------------------------------------------------------------

    @Test
    void readsAChunkedEventStreamWithChunkExtensionsAndTrailers() throws Exception {
        RawHttpServer server = serve(c -> {
            while (c.readRequest() != null) {
                c.write(OK_CHUNKED);
                c.write(chunk(event("Hello")).replaceFirst("\r\n", ";note=\"first\"\r\n"));
                c.write(chunk(event(", world") + done()));
                c.write("0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n");
            }
        });
        assertThat(call(server)).isEqualTo("Hello, world");
        assertThat(String.join("", deltas)).isEqualTo("Hello, world");
        // The trailers were read to their end: the connection serves the next call.
        assertThat(call(server)).isEqualTo("Hello, world");
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void readsAnEventStreamOfAGivenContentLength() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(withLength(event("one") + event(" two") + done()));
            c.awaitClientClose();
        });
        assertThat(call(server)).isEqualTo("one two");
    }

    @Test
    void readsAnHttp10BodyThatEndsWhenTheServerCloses() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write("HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + event("old") + event(" style"));
        });
        assertThat(call(server)).isEqualTo("old style"); // and no [DONE]: the close ends it
        assertThat(call(server)).isEqualTo("old style");
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void skipsAnInterimContinueResponse() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write("HTTP/1.1 100 Continue\r\n\r\n" + withLength(event("after 100") + done()));
            c.awaitClientClose();
        });
        assertThat(call(server)).isEqualTo("after 100");
    }

    @Test
    void decodesCharactersSplitAcrossChunks() throws Exception {
        String text = "héllo 🌍 wörld — 你好";
        byte[] body = (event(text) + done()).getBytes(StandardCharsets.UTF_8);
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(OK_CHUNKED);
            // A chunk boundary before every UTF-8 continuation byte: inside every multi-byte character.
            int start = 0;
            for (int i = 1; i <= body.length; i++) {
                if (i == body.length || (body[i] & 0xC0) == 0x80) {
                    ByteArrayOutputStream piece = new ByteArrayOutputStream();
                    piece.writeBytes((Integer.toHexString(i - start) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    piece.write(body, start, i - start);
                    piece.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                    c.write(piece.toByteArray());
                    start = i;
                }
            }
            c.write("0\r\n\r\n");
            c.awaitClientClose();
        });
        assertThat(call(server)).isEqualTo(text);
    }

    @Test
    void acceptsCrLfAndBareCrLineEnds() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(OK_CHUNKED);
            // a CRLF split by a chunk boundary, then lines ended by a bare CR, then CRLF
            c.write(chunk("data: " + delta("a") + "\r"));
            c.write(chunk("\n\r\ndata: " + delta("b") + "\r\rdata: [DONE]\r\n\r\n"));
            c.write("0\r\n\r\n");
            c.awaitClientClose();
        });
        assertThat(call(server)).isEqualTo("ab");
    }

    // ---- forwarding deltas ----------------------------------------------------------------------

    @Test
    void deltasThatArriveTogetherAreForwardedTogether() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(withLength(event("a") + event("b") + event("c") + done()));
            c.awaitClientClose();
        });
        assertThat(call(server)).isEqualTo("abc");
        assertThat(deltas).containsExactly("abc");
    }

    @Test
    void deltasAlreadyReceivedAreForwardedBeforeTheClientWaitsForMore() throws Exception {
        CountDownLatch forwarded = new CountDownLatch(1);
        boolean[] forwardedBeforeMoreWasSent = new boolean[1];
        String second = event(" world") + done();
        String secondSize = Integer.toHexString(second.getBytes(StandardCharsets.UTF_8).length);
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(OK_CHUNKED);
            // The first chunk with its closing CRLF and the first digit of the next chunk's size:
            // framing alone must not look like more data, or the client would wait with "Hello" in hand.
            c.write(chunk(event("Hel") + event("lo")) + secondSize.charAt(0));
            forwardedBeforeMoreWasSent[0] = forwarded.await(30, TimeUnit.SECONDS);
            c.write(secondSize.substring(1) + "\r\n" + second + "\r\n0\r\n\r\n");
            c.awaitClientClose();
        });
        client.close();
        client = new ChatCompletionClient(Duration.ofSeconds(60));
        String answer = client.stream(endpoint(server.baseUrl()), List.of(Message.user("hi")), d -> {
            deltas.add(d);
            forwarded.countDown();
        });
        assertThat(answer).isEqualTo("Hello world");
        assertThat(deltas).containsExactly("Hello", " world");
        assertThat(forwardedBeforeMoreWasSent[0]).isTrue();
    }

    // ---- connection reuse -----------------------------------------------------------------------

    @Test
    void aKeptAliveConnectionServesTheNextCall() throws Exception {
        RawHttpServer server = serve(c -> {
            while (c.readRequest() != null) {
                c.write(OK_CHUNKED + chunk(event("again") + done()) + "0\r\n\r\n");
            }
        });
        assertThat(call(server)).isEqualTo("again");
        assertThat(call(server)).isEqualTo("again");
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aConnectionTheServerWillCloseIsNotReused() throws Exception {
        RawHttpServer server = serve(c -> {
            while (c.readRequest() != null) {
                c.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + bytes(event("x") + done()) + "\r\n\r\n"
                        + event("x") + done());
            }
        });
        assertThat(call(server)).isEqualTo("x");
        assertThat(call(server)).isEqualTo("x");
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(server.requests()).extracting(RawHttpServer.Request::connection).containsExactly(1, 2);
    }

    @Test
    void anHttp10ServerThatOffersKeepAliveIsReused() throws Exception {
        RawHttpServer server = serve(c -> {
            while (c.readRequest() != null) {
                String body = event("ten") + done();
                c.write("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: " + bytes(body) + "\r\n\r\n" + body);
            }
        });
        call(server);
        call(server);
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aPooledConnectionTheServerClosedIsRetriedOnceOnAFreshOne() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(withLength(event("served by " + c.number) + done()));
            // returns: the server closes a connection the client has pooled as kept alive
        });
        assertThat(call(server)).isEqualTo("served by 1");
        assertThat(call(server)).isEqualTo("served by 2");
        assertThat(server.requests()).extracting(RawHttpServer.Request::connection).containsExactly(1, 2);
    }

    @Test
    void theRetryIsMadeOnlyOnce() throws Exception {
        RawHttpServer server = serve(c -> {
            if (c.number == 1) {
                c.readRequest();
                c.write(withLength(event("first") + done()));
            } else {
                c.readRequest(); // and close without a word
            }
        });
        assertThat(call(server)).isEqualTo("first");
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class)
                .hasMessage("model m is unreachable: EOFException");
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void aNewConnectionThatFailsBeforeAnsweringIsNotRetried() throws Exception {
        RawHttpServer server = serve(c -> c.readRequest()); // the model may have started on it
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class)
                .hasMessage("model m is unreachable: EOFException");
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void closingTheClientClosesItsIdleConnections() throws Exception {
        CountDownLatch serverSawClose = new CountDownLatch(1);
        RawHttpServer server = serve(c -> {
            while (c.readRequest() != null) {
                c.write(withLength(event("bye") + done()));
            }
            serverSawClose.countDown();
        });
        call(server);
        client.close();
        assertThat(serverSawClose.await(30, TimeUnit.SECONDS)).isTrue();
    }

    // ---- errors ---------------------------------------------------------------------------------

    @Test
    void anErrorStatusIsAModelErrorAndItsDrainedConnectionIsReused() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            String error = "{\"error\":{\"message\":\"scripted failure\"}}";
            c.write("HTTP/1.1 500 Server Error\r\nContent-Type: application/json\r\nContent-Length: " + bytes(error) + "\r\n\r\n" + error);
            c.readRequest();
            c.write(withLength(event("recovered") + done()));
            c.awaitClientClose();
        });
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class).hasMessage("model m answered HTTP 500");
        assertThat(call(server)).isEqualTo("recovered");
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void anErrorChunkInTheStreamIsAModelError() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(OK_CHUNKED + chunk(event("partial ") + "data: {\"error\":{\"message\":\"overloaded\"}}\n\n"));
            c.awaitClientClose();
        });
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class).hasMessage("model m reported: overloaded");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        client.close();
        client = new ChatCompletionClient(Duration.ofMillis(300));
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.awaitClientClose();
        });
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class).hasMessage("model m timed out");
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aStreamThatStallsTimesOutWhileAnswering() throws Exception {
        client.close();
        client = new ChatCompletionClient(Duration.ofMillis(300));
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(OK_CHUNKED + chunk(event("and then")));
            c.awaitClientClose();
        });
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class).hasMessage("model m timed out while answering");
    }

    @Test
    void aPortNobodyListensOnIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> client.stream(endpoint("http://127.0.0.1:" + port + "/v1"), List.of(Message.user("hi")), deltas::add))
                .isInstanceOf(ModelError.class).hasMessage("model m is unreachable: ConnectException");
    }

    @Test
    void aLineLongerThanTheCapIsAModelError() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write("HTTP/1.0 200 OK\r\n\r\ndata: ");
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, (byte) 'x');
            for (int i = 0; i <= ChatCompletionClient.MAX_LINE_BYTES / block.length; i++) {
                c.write(block); // never a line end
            }
            c.awaitClientClose();
        });
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class)
                .hasMessage("model m sent a line longer than 1048576 bytes");
    }

    @Test
    void malformedFramingIsABrokenStream() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(OK_CHUNKED + "zz\r\n" + event("x"));
            c.awaitClientClose();
        });
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class).hasMessage("model m stream broke: ProtocolException");
    }

    @Test
    void aStatusLineThatIsNotHttpMakesTheModelUnreachable() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        });
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class).hasMessage("model m is unreachable: ProtocolException");
        assertThat(server.accepted()).isEqualTo(1);
    }

    // ---- the request ----------------------------------------------------------------------------

    @Test
    void theRequestGoesToTheBaseUrlsPathWithTheExpectedHeadersAndBody() throws Exception {
        // ModelEndpoint reads its API key from an environment variable; use one this process has.
        Map.Entry<String, String> env = System.getenv().entrySet().stream()
                .filter(e -> e.getValue().matches("[!-~]+")).findFirst().orElse(null);
        assumeTrue(env != null, "no environment variable with a printable value to stand for an API key");
        RawHttpServer server = serve(c -> {
            while (c.readRequest() != null) {
                c.write(withLength(done()));
            }
        });
        ModelEndpoint withKey = new ModelEndpoint("m", "http://127.0.0.1:" + server.port() + "/api/v1/", "org/model-7b", env.getKey(), 0.5, 99);
        client.stream(withKey, List.of(new Message("system", "be brief"), Message.user("Ünïcode \"quoted\"")), deltas::add);
        client.stream(endpoint(server.baseUrl()), List.of(Message.user("hi")), deltas::add);

        RawHttpServer.Request r = server.requests().get(0);
        assertThat(r.requestLine()).isEqualTo("POST /api/v1/chat/completions HTTP/1.1");
        assertThat(r.header("Host")).isEqualTo("127.0.0.1:" + server.port());
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Accept")).isEqualTo("text/event-stream");
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + env.getValue());
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("model").asText()).isEqualTo("org/model-7b");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(99);
        assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("Ünïcode \"quoted\"");

        RawHttpServer.Request noKey = server.requests().get(1);
        assertThat(noKey.requestLine()).isEqualTo("POST /v1/chat/completions HTTP/1.1");
        assertThat(noKey.header("Authorization")).isNull();
        assertThat(noKey.headerLines()).hasSize(4); // Host, Content-Type, Accept, Content-Length
    }

    @Test
    void reachesAnIpv6LiteralHost() throws Exception {
        InetAddress v6;
        RawHttpServer server;
        try {
            v6 = InetAddress.getByName("::1");
            server = new RawHttpServer(v6, c -> {
                RawHttpServer.Request r = c.readRequest();
                c.write(withLength(event(r.header("Host")) + done()));
                c.awaitClientClose();
            });
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        toClose.add(server);
        String host = client.stream(endpoint("http://[::1]:" + server.port() + "/v1"), List.of(Message.user("hi")), deltas::add);
        assertThat(host).isEqualTo("[::1]:" + server.port());
    }

    @Test
    void targetsAreParsedOnceFromTheUrl() {
        HttpTarget plain = HttpTarget.of("http://Models.Example:80/v1/chat/completions");
        assertThat(plain.host()).isEqualTo("models.example");
        assertThat(plain.port()).isEqualTo(80);
        assertThat(plain.authority()).isEqualTo("models.example");
        assertThat(plain.path()).isEqualTo("/v1/chat/completions");
        HttpTarget noPort = HttpTarget.of("http://10.0.0.7/chat/completions");
        assertThat(noPort.port()).isEqualTo(80);
        assertThat(noPort.authority()).isEqualTo("10.0.0.7");
        HttpTarget v6 = HttpTarget.of("http://[fe80::1]:8001/v1/chat/completions");
        assertThat(v6.host()).isEqualTo("fe80::1");
        assertThat(v6.authority()).isEqualTo("[fe80::1]:8001");
        assertThatThrownBy(() -> HttpTarget.of("https://api.openai.com/v1/chat/completions")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpTarget.of("http:///v1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHeaderValueWithALineBreakIsRefused() {
        assertThatThrownBy(() -> new Header("Authorization", "Bearer key\r\nX-Injected: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Header("Bad Name", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- against the scripted model server -----------------------------------------------------

    @Test
    void manySequentialAndConcurrentCallsGetTheirExactAnswers() throws Exception {
        ScriptedModelServer models = ScriptedModelServer.start(0);
        toClose.add(models);
        ModelEndpoint vicuna = new ModelEndpoint("vicuna-13b", models.baseUrl(), null, null, 0.7, 64);
        ModelEndpoint llama = new ModelEndpoint("llama-2-13b-chat", models.baseUrl() + "/", null, null, 0.7, 64);
        for (int i = 0; i < 100; i++) {
            ModelEndpoint m = i % 2 == 0 ? vicuna : llama;
            String prompt = "sequential question " + i + " ✓";
            StringBuilder streamed = new StringBuilder();
            String answer = client.stream(m, List.of(Message.user(prompt)), streamed::append);
            assertThat(answer).isEqualTo(ScriptedModelServer.answer(m.name(), prompt));
            assertThat(streamed.toString()).isEqualTo(answer);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        ModelEndpoint m = (thread + i) % 2 == 0 ? vicuna : llama;
                        String prompt = "thread " + thread + " question " + i;
                        StringBuilder streamed = new StringBuilder();
                        String answer = client.stream(m, List.of(Message.user(prompt)), streamed::append);
                        String expected = ScriptedModelServer.answer(m.name(), prompt);
                        if (!answer.equals(expected) || !streamed.toString().equals(expected)) {
                            wrong.add(prompt + " -> " + answer);
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

    @Test
    void theScriptedServersBrokenModelAnswersHttp500() throws Exception {
        ScriptedModelServer models = ScriptedModelServer.start(0);
        toClose.add(models);
        ModelEndpoint broken = new ModelEndpoint("broken-model", models.baseUrl(), null, null, 0.7, 64);
        assertThatThrownBy(() -> client.stream(broken, List.of(Message.user("hi")), deltas::add))
                .isInstanceOf(ModelError.class).hasMessage("model broken-model answered HTTP 500");
        ModelEndpoint vicuna = new ModelEndpoint("vicuna-13b", models.baseUrl(), null, null, 0.7, 64);
        assertThat(client.stream(vicuna, List.of(Message.user("hi")), deltas::add)).isEqualTo(ScriptedModelServer.answer("vicuna-13b", "hi"));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private RawHttpServer serve(RawHttpServer.Script script) throws IOException {
        RawHttpServer server = new RawHttpServer(script);
        toClose.add(server);
        return server;
    }

    private String call(RawHttpServer server) throws ModelError {
        return client.stream(endpoint(server.baseUrl()), List.of(Message.user("hi")), deltas::add);
    }

    private static ModelEndpoint endpoint(String baseUrl) {
        return new ModelEndpoint("m", baseUrl, null, null, 0.7, 64);
    }

    /** One SSE event carrying a delta, as OpenAI-compatible servers send it. */
    private static String event(String text) {
        return "data: " + delta(text) + "\n\n";
    }

    private static String delta(String text) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + JSON.valueToTree(text) + "}}]}";
    }

    private static String done() {
        return "data: [DONE]\n\n";
    }

    private static String chunk(String data) {
        return Integer.toHexString(bytes(data)) + "\r\n" + data + "\r\n";
    }

    private static String withLength(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + bytes(body) + "\r\n\r\n" + body;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
