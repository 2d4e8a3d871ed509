package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ChatRequest;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.llm.ModelError;
import org.chatcorpus.llm.RetryPolicy;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Arena's model calls (the llm module's client, as ArenaService configures it) against the
 * scripted model server: exact answers under sequential and concurrent load, failures as the
 * user sees them, and slow models streamed piece by piece.
 */
class ArenaModelCallsTest {
    private static ScriptedModelServer models;
    private static final ChatClient CLIENT = new ChatClient(Duration.ofSeconds(30), RetryPolicy.NONE);

    @BeforeAll
    static void start() {
        models = ScriptedModelServer.start(0, 30);
    }

    @AfterAll
    static void stop() {
        models.close();
    }

    private static String ask(ModelEndpoint m, String prompt, List<String> deltas) throws ModelError {
        return CLIENT.stream(m, ChatRequest.of(m, List.of(Message.user(prompt))), deltas::add).text();
    }

    @Test
    void manySequentialAndConcurrentCallsGetTheirExactAnswers() throws Exception {
        ModelEndpoint vicuna = new ModelEndpoint("vicuna-13b", models.baseUrl(), null, null, 0.7, 64);
        ModelEndpoint llama = new ModelEndpoint("llama-2-13b-chat", models.baseUrl() + "/", null, null, 0.7, 64);
        for (int i = 0; i < 100; i++) {
            ModelEndpoint m = i % 2 == 0 ? vicuna : llama;
            String prompt = "sequential question " + i + " ✓";
            List<String> streamed = new ArrayList<>();
            String answer = ask(m, prompt, streamed);
            assertThat(answer).isEqualTo(ScriptedModelServer.answer(m.name(), prompt));
            assertThat(String.join("", streamed)).isEqualTo(answer);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        ModelEndpoint m = (thread + i) % 2 == 0 ? vicuna : llama;
                        String prompt = "thread " + thread + " question " + i;
                        List<String> streamed = new ArrayList<>();
                        String answer = ask(m, prompt, streamed);
                        String expected = ScriptedModelServer.answer(m.name(), prompt);
                        if (!answer.equals(expected) || !String.join("", streamed).equals(expected)) {
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
    void theBrokenModelsFailureNamesTheModelAndTheServersMessage() throws Exception {
        ModelEndpoint broken = new ModelEndpoint("broken-model", models.baseUrl(), null, null, 0.7, 64);
        assertThatThrownBy(() -> ask(broken, "hi", new ArrayList<>()))
                .isInstanceOf(ModelError.class).hasMessage("model broken-model answered HTTP 500: scripted failure");
        ModelEndpoint vicuna = new ModelEndpoint("vicuna-13b", models.baseUrl(), null, null, 0.7, 64);
        assertThat(ask(vicuna, "hi", new ArrayList<>())).isEqualTo(ScriptedModelServer.answer("vicuna-13b", "hi"));
    }

    @Test
    void aSlowModelsAnswerReachesTheCallerInPiecesNotAtTheEnd() throws Exception {
        ModelEndpoint slow = new ModelEndpoint("slow-model", models.baseUrl(), null, null, 0.7, 64);
        List<String> deltas = Collections.synchronizedList(new ArrayList<>());
        String answer = ask(slow, "one token at a time", deltas);
        assertThat(String.join("", deltas)).isEqualTo(answer);
        // 30 ms between words: only a client that buffers the body would hand it on in one piece.
        assertThat(deltas).hasSizeGreaterThan(1);
    }
}
