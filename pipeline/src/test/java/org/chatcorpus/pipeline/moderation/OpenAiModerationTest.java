package org.chatcorpus.pipeline.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The moderation client against a real local HTTP server speaking the OpenAI protocol, with injected failures. */
class OpenAiModerationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    HttpServer server;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger failuresLeft = new AtomicInteger();
    final List<Integer> batchSizes = new ArrayList<>();
    volatile int failWith = 429;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/moderations", ex -> {
            calls.incrementAndGet();
            JsonNode req = JSON.readTree(ex.getRequestBody());
            byte[] out;
            int status;
            if (!"Bearer test-key".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                out = "{\"error\":{\"message\":\"bad key\"}}".getBytes(StandardCharsets.UTF_8);
            } else if (failuresLeft.getAndDecrement() > 0) {
                status = failWith;
                if (status == 429) {
                    ex.getResponseHeaders().set("Retry-After", "0.01");
                }
                out = "{\"error\":{\"message\":\"slow down\"}}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                synchronized (batchSizes) {
                    batchSizes.add(req.get("input").size());
                }
                ObjectNode resp = JSON.createObjectNode();
                ArrayNode results = resp.putArray("results");
                for (JsonNode text : req.get("input")) {
                    boolean violent = text.asText().contains("kill");
                    ObjectNode r = results.addObject();
                    ObjectNode cats = r.putObject("categories");
                    ObjectNode scores = r.putObject("category_scores");
                    for (ModerationCategory c : ModerationCategory.all()) {
                        cats.put(c.label(), violent && c == ModerationCategory.VIOLENCE);
                        scores.put(c.label(), violent && c == ModerationCategory.VIOLENCE ? 0.97 : 0.001);
                    }
                    r.put("flagged", violent);
                }
                out = JSON.writeValueAsBytes(resp);
            }
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private OpenAiModeration client(Path cache) throws Exception {
        return new OpenAiModeration("http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "test-key", "omni-moderation-latest", cache, 5);
    }

    @Test
    void batchesRetriesOn429And5xxAndCachesOnDisk(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache.jsonl");
        failuresLeft.set(2);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add(i == 3 ? "I will kill him" : "message " + i);
        }
        List<Moderation> first = client(cache).moderate(texts);
        assertThat(first).hasSize(40);
        assertThat(first.get(3).flagged()).isTrue();
        assertThat(first.get(3).score(ModerationCategory.VIOLENCE)).isEqualTo(0.97);
        assertThat(first.get(0).flagged()).isFalse();
        assertThat(calls.get()).isEqualTo(2 + 2); // two 429s, then batches of 32 and 8
        assertThat(batchSizes).containsExactly(32, 8);

        failWith = 503;
        failuresLeft.set(1);
        OpenAiModeration rerun = client(cache);
        calls.set(0);
        assertThat(rerun.moderate(texts)).isEqualTo(first);
        assertThat(calls.get()).isZero(); // everything came from the cache file
        List<Moderation> mixed = rerun.moderate(List.of("message 1", "brand new text"));
        assertThat(calls.get()).isEqualTo(2); // one 503, then one request with the single new text
        assertThat(mixed.get(0)).isEqualTo(first.get(1));
    }

    @Test
    void aRefusedRequestIsAClearError(@TempDir Path dir) throws Exception {
        OpenAiModeration wrongKey = new OpenAiModeration("http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "nope", "m",
                dir.resolve("c.jsonl"), 5);
        assertThatThrownBy(() -> wrongKey.moderate(List.of("hi"))).hasMessageContaining("HTTP 401");
    }

    @Test
    void aRefusalNamesTheEndpointAndStatus(@TempDir Path dir) throws Exception {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        OpenAiModeration wrongKey = new OpenAiModeration(base, "nope", "m", dir.resolve("c.jsonl"), 5);
        assertThatThrownBy(() -> wrongKey.moderate(List.of("hi"))).isInstanceOf(ModerationUnavailableException.class)
                .hasMessageContaining(base + "/moderations").hasMessageContaining("HTTP 401");
    }

    @Test
    void anEndpointThatKeepsFailingIsNamedAndThenFailsFastForTheRestOfTheRun(@TempDir Path dir) throws Exception {
        failWith = 503;
        failuresLeft.set(1000);
        OpenAiModeration c = client(dir.resolve("c.jsonl"));
        assertThatThrownBy(() -> c.moderate(List.of("a"))).isInstanceOf(ModerationUnavailableException.class)
                .hasMessageContaining("/v1/moderations").hasMessageContaining("HTTP 503");
        int afterRetries = calls.get();
        assertThat(afterRetries).isEqualTo(6);
        assertThatThrownBy(() -> c.moderate(List.of("b"))).isInstanceOf(ModerationUnavailableException.class);
        assertThat(calls.get()).isEqualTo(afterRetries); // no second round of retries per conversation
    }

    @Test
    void aTornLastCacheLineIsSkippedAndTheNextEntryStartsOnItsOwnLine(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache.jsonl");
        client(cache).moderate(List.of("first text"));
        String whole = java.nio.file.Files.readString(cache);
        java.nio.file.Files.writeString(cache, whole + whole.substring(0, whole.length() / 2)); // killed mid-append
        OpenAiModeration reopened = client(cache);
        assertThat(reopened.skippedCacheLines()).isEqualTo(1);
        calls.set(0);
        reopened.moderate(List.of("first text", "second text"));
        assertThat(calls.get()).isEqualTo(1); // only the new text was sent
        OpenAiModeration third = client(cache);
        assertThat(third.skippedCacheLines()).isZero();
        calls.set(0);
        third.moderate(List.of("first text", "second text"));
        assertThat(calls.get()).isZero();
    }
}
