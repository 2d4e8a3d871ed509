package org.chatcorpus.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCallsTest {
    @TempDir
    Path dir;

    private static ScriptedEndpoint echo() throws Exception {
        return new ScriptedEndpoint((call, body, ex) -> {
            String prompt = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("messages").get(0).path("content").asText();
            if (prompt.startsWith("fail")) {
                ScriptedEndpoint.send(ex, 400, "application/json", "{\"error\":{\"message\":\"refused\"}}");
            } else {
                ScriptedEndpoint.send(ex, 200, "application/json", ScriptedEndpoint.completion("echo " + prompt, 5, 2));
            }
        });
    }

    @Test
    void aRerunIsAnsweredFromTheCacheWithoutCallingTheModel() throws Exception {
        try (ScriptedEndpoint server = echo()) {
            ModelEndpoint m = ModelEndpoint.parseModel("m=" + server.baseUrl());
            ChatRequest req = ChatRequest.of(m, List.of(Message.user("hello")));
            try (ModelCalls calls = new ModelCalls(new ChatClient(Duration.ofSeconds(5), RetryPolicy.NONE), ReplyCache.open(dir.resolve("cache.jsonl")), 2, 0)) {
                assertThat(calls.call(m, req).cached()).isFalse();
            }
            try (ModelCalls calls = new ModelCalls(new ChatClient(Duration.ofSeconds(5), RetryPolicy.NONE), ReplyCache.open(dir.resolve("cache.jsonl")), 2, 0)) {
                ChatReply again = calls.call(m, req);
                assertThat(again.text()).isEqualTo("echo hello");
                assertThat(again.cached()).isTrue();
                assertThat(calls.usage().of("m").cached.get()).isEqualTo(1);
            }
            assertThat(server.calls()).isEqualTo(1);
        }
    }

    @Test
    void aTornLastCacheLineIsSkippedAndTheNextAppendStartsOnAFreshLine() throws Exception {
        try (ScriptedEndpoint server = echo()) {
            ModelEndpoint m = ModelEndpoint.parseModel("m=" + server.baseUrl());
            Path file = dir.resolve("cache.jsonl");
            try (ModelCalls calls = new ModelCalls(new ChatClient(Duration.ofSeconds(5), RetryPolicy.NONE), ReplyCache.open(file), 1, 0)) {
                calls.call(m, ChatRequest.of(m, List.of(Message.user("one"))));
            }
            Files.writeString(file, "{\"key\":\"abc\",\"te", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            try (ReplyCache cache = ReplyCache.open(file);
                 ModelCalls calls = new ModelCalls(new ChatClient(Duration.ofSeconds(5), RetryPolicy.NONE), cache, 1, 0)) {
                assertThat(cache.unreadableLines()).isEqualTo(1);
                assertThat(cache.size()).isEqualTo(1);
                calls.call(m, ChatRequest.of(m, List.of(Message.user("two"))));
            }
            try (ReplyCache cache = ReplyCache.open(file)) {
                assertThat(cache.size()).isEqualTo(2);
                assertThat(cache.unreadableLines()).isEqualTo(1);
            }
        }
    }

    @Test
    void mapKeepsInputOrderAndRecordsEachFailureWithoutStoppingTheRest() throws Exception {
        try (ScriptedEndpoint server = echo();
             ModelCalls calls = new ModelCalls(new ChatClient(Duration.ofSeconds(5), RetryPolicy.NONE), null, 4, 0)) {
            ModelEndpoint m = ModelEndpoint.parseModel("m=" + server.baseUrl());
            List<String> prompts = IntStream.range(0, 20).mapToObj(i -> i % 7 == 3 ? "fail " + i : "p" + i).toList();
            List<ModelCalls.Outcome<String>> out = calls.map(prompts, "test",
                    p -> calls.call(m, ChatRequest.of(m, List.of(Message.user(p)))).text());
            for (int i = 0; i < prompts.size(); i++) {
                if (i % 7 == 3) {
                    assertThat(out.get(i).ok()).isFalse();
                    assertThat(out.get(i).error()).contains("HTTP 400: refused");
                } else {
                    assertThat(out.get(i).value()).isEqualTo("echo p" + i);
                }
            }
            assertThat(calls.usage().of("m").errors.get()).isEqualTo(3);
            assertThat(calls.usage().of("m").completionTokens.get()).isEqualTo(2 * 17);
            assertThat(calls.usage().summary()).singleElement().asString().startsWith("m: 17 calls");
        }
    }

    @Test
    void callAgainAsksTheModelDespiteACachedReplyAndARerunReplaysBoth() throws Exception {
        try (ScriptedEndpoint server = new ScriptedEndpoint((call, body, ex) ->
                ScriptedEndpoint.send(ex, 200, "application/json", ScriptedEndpoint.completion("answer " + call, 1, 1)))) {
            ModelEndpoint m = ModelEndpoint.parseModel("m=" + server.baseUrl());
            ChatRequest req = ChatRequest.of(m, List.of(Message.user("hello")));
            Path file = dir.resolve("cache.jsonl");
            for (int run = 0; run < 2; run++) {
                try (ModelCalls calls = new ModelCalls(new ChatClient(Duration.ofSeconds(5), RetryPolicy.NONE), ReplyCache.open(file), 1, 0)) {
                    assertThat(calls.call(m, req).text()).isEqualTo("answer 1");
                    assertThat(calls.callAgain(m, req, "retry-1").text()).isEqualTo("answer 2");
                }
            }
            assertThat(server.calls()).isEqualTo(2);
        }
    }
}
