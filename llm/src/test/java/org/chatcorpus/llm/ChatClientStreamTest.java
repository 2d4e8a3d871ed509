package org.chatcorpus.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streaming as the Arena uses it (no retry policy: a user is waiting), against servers that write
 * exactly the bytes each test scripts: framings, line ends, bursts, kept-alive connections the
 * server closed, stalls, hostile lines.
 */
class ChatClientStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK_CHUNKED = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ChatClient client = new ChatClient(Duration.ofSeconds(10), RetryPolicy.NONE);
    private final List<String> deltas = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    // ---- framings the client must read ---------------------------------------------------------

    @Test
    void readsAChunkedEventStreamWithChunkExtensionsAndTrailersAndReusesTheConnection() throws Exception {
        RawHttpServer server = serve(c -> {
            while (c.readRequest() != null) {
                c.write(OK_CHUNKED);
                c.write(chunk(event("Hello")).replaceFirst("\r\n", ";note=\"first\"\r\n"));
                c.write(chunk(event(", world") + done()));
                c.write("0\r\nX-Checksum: abc\r\n\r\n");
            }
        });
        assertThat(call(server)).isEqualTo("Hello, world");
        assertThat(String.join("", deltas)).isEqualTo("Hello, world");
        assertThat(call(server)).isEqualTo("Hello, world");
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void readsAnHttp10BodyThatEndsWhenTheServerClosesWithoutDone() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write("HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + event("old") + event(" style"));
        });
        assertThat(call(server)).isEqualTo("old style");
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
    void acceptsCrLfAndBareCrLineEndsAndIgnoresCommentsAndEventNames() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(OK_CHUNKED);
            // a CRLF split by a chunk boundary, then lines ended by a bare CR, then CRLF
            c.write(chunk(": keep-alive comment\r\nevent: message\r\ndata: " + delta("a") + "\r"));
            c.write(chunk("\n\r\ndata:" + delta("b") + "\r\rdata: [DONE]\r\n\r\n"));
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
        client = new ChatClient(Duration.ofSeconds(60), RetryPolicy.NONE);
        ModelEndpoint m = endpoint(server.baseUrl());
        ChatReply answer = client.stream(m, ChatRequest.of(m, List.of(Message.user("hi"))), d -> {
            deltas.add(d);
            forwarded.countDown();
        });
        assertThat(answer.text()).isEqualTo("Hello world");
        assertThat(deltas).containsExactly("Hello", " world");
        assertThat(forwardedBeforeMoreWasSent[0]).isTrue();
    }

    @Test
    void theAnswerIsReturnedAtDoneEvenIfTheServerKeepsTheBodyOpen() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(OK_CHUNKED + chunk(event("fin") + done()));
            c.awaitClientClose();
        });
        client = new ChatClient(Duration.ofMillis(500), RetryPolicy.NONE);
        assertThat(call(server)).isEqualTo("fin");
    }

    // ---- kept-alive connections -----------------------------------------------------------------

    @Test
    void aKeptAliveConnectionTheServerClosesOnTheNextRequestIsRetriedOnceOnAnotherConnection() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(withLength(event("served by " + c.number) + done()));
            if (c.number == 1) {
                c.readRequest(); // and close without a word: the server dropped the idle connection as the request came
            } else {
                c.awaitClientClose();
            }
        });
        assertThat(call(server)).isEqualTo("served by 1");
        assertThat(call(server)).isEqualTo("served by 2");
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void theResendIsMadeOnlyOnce() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            if (c.number == 1) {
                c.write(withLength(event("first") + done()));
                c.readRequest();
            }
        });
        assertThat(call(server)).isEqualTo("first");
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class).hasMessageStartingWith("model m is unreachable");
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void anErrorStatusIsAModelErrorWithTheServersMessageAndTheConnectionServesTheNextCall() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            String error = "{\"error\":{\"message\":\"scripted failure\"}}";
            c.write("HTTP/1.1 500 Server Error\r\nContent-Type: application/json\r\nContent-Length: " + bytes(error) + "\r\n\r\n" + error);
            c.readRequest();
            c.write(withLength(event("recovered") + done()));
            c.awaitClientClose();
        });
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class).hasMessage("model m answered HTTP 500: scripted failure");
        assertThat(call(server)).isEqualTo("recovered");
        assertThat(server.accepted()).isEqualTo(1);
    }

    // ---- stalls and hostile answers -------------------------------------------------------------

    @Test
    void aServerThatNeverAnswersTimesOutAndIsNotResent() throws Exception {
        client = new ChatClient(Duration.ofMillis(300), RetryPolicy.NONE);
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.awaitClientClose();
        });
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class).hasMessage("model m timed out");
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aStreamThatStallsTimesOutWhileAnswering() throws Exception {
        client = new ChatClient(Duration.ofMillis(300), RetryPolicy.NONE);
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write(OK_CHUNKED + chunk(event("and then")));
            c.awaitClientClose();
        });
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class).hasMessage("model m timed out while answering");
    }

    @Test
    void aLineLongerThanTheCapIsAModelError() throws Exception {
        RawHttpServer server = serve(c -> {
            c.readRequest();
            c.write("HTTP/1.0 200 OK\r\n\r\ndata: ");
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, (byte) 'x');
            for (int i = 0; i <= ChatClient.MAX_LINE_BYTES / block.length; i++) {
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
        // The JDK client reads ahead: the bad chunk size is met either while the answer streams ("stream
        // broke") or, on a busy machine, before send() returns (the call then fails as unreachable).
        // Either way it is a ModelError naming the model, never a hang or a partial answer taken as whole.
        assertThatThrownBy(() -> call(server)).isInstanceOf(ModelError.class)
                .satisfies(e -> assertThat(e.getMessage()).matches("model m (stream broke|is unreachable): .*"));
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
        ModelEndpoint withKey = new ModelEndpoint("m", "http://127.0.0.1:" + server.port() + "/api/v1", "org/model-7b", env.getKey(), 0.5, 99);
        client.stream(withKey, ChatRequest.of(withKey, List.of(new Message("system", "be brief"), Message.user("Ünïcode \"quoted\""))), deltas::add);
        ModelEndpoint noKey = endpoint(server.baseUrl());
        client.stream(noKey, ChatRequest.of(noKey, List.of(Message.user("hi"))), deltas::add);

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
        assertThat(server.requests().get(1).requestLine()).isEqualTo("POST /v1/chat/completions HTTP/1.1");
        assertThat(server.requests().get(1).header("Authorization")).isNull();
    }

    @Test
    void reachesAnIpv6LiteralHost() throws Exception {
        RawHttpServer server;
        try {
            server = new RawHttpServer(InetAddress.getByName("::1"), c -> {
                RawHttpServer.Request r = c.readRequest();
                c.write(withLength(event(r.header("Host")) + done()));
                c.awaitClientClose();
            });
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        toClose.add(server);
        ModelEndpoint m = endpoint("http://[::1]:" + server.port() + "/v1");
        assertThat(client.stream(m, ChatRequest.of(m, List.of(Message.user("hi"))), deltas::add).text()).isEqualTo("[::1]:" + server.port());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private RawHttpServer serve(RawHttpServer.Script script) throws IOException {
        RawHttpServer server = new RawHttpServer(script);
        toClose.add(server);
        return server;
    }

    private String call(RawHttpServer server) throws ModelError {
        ModelEndpoint m = endpoint(server.baseUrl());
        return client.stream(m, ChatRequest.of(m, List.of(Message.user("hi"))), deltas::add).text();
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
