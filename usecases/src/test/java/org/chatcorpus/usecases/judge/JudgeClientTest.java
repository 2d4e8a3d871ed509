package org.chatcorpus.usecases.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.llm.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgeClientTest {
    @TempDir
    Path dir;

    private static final JudgePrompt SINGLE = JudgePrompts.get(JudgePrompts.SINGLE);

    private JudgeClient client() throws Exception {
        return JudgeClient.open(dir.resolve(JudgeClient.CACHE_FILE), 4,
                new ChatClient(Duration.ofSeconds(5), new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5))));
    }

    private static Map<String, String> qa(String q) {
        return Map.of("question", q, "answer", "an answer");
    }

    @Test
    void anUnreadableReplyIsAskedOnceMoreAndTheSecondReplyCounts() throws Exception {
        try (LoopbackModel judge = new LoopbackModel((r, call) -> call == 1 ? "I like it, a seven." : "Rating: [[7]]");
             JudgeClient c = client()) {
            Judgment<Double> j = c.judge(ModelEndpoint.parseJudge("gpt-4@" + judge.baseUrl(), null), SINGLE, qa("q"), JudgeReplies::rating);
            assertThat(j.ok()).isTrue();
            assertThat(j.value()).isEqualTo(7.0);
            assertThat(judge.calls()).isEqualTo(2);
        }
    }

    @Test
    void aReplyUnreadableTwiceIsAnErrorNotAScore() throws Exception {
        try (LoopbackModel judge = new LoopbackModel((r, call) -> "No idea.");
             JudgeClient c = client()) {
            Judgment<Double> j = c.judge(ModelEndpoint.parseJudge("gpt-4@" + judge.baseUrl(), null), SINGLE, qa("q"), JudgeReplies::rating);
            assertThat(j.ok()).isFalse();
            assertThat(j.value()).isNull();
            assertThat(j.error()).contains("gpt-4", "[[rating]]", "No idea.");
            assertThat(judge.calls()).isEqualTo(2);
            assertThat(c.summary().get(c.summary().size() - 1)).contains("unreadable twice: 1");
        }
    }

    @Test
    void aFailingJudgeIsRetriedByTheClientThenRecordedAsAnError() throws Exception {
        try (LoopbackModel judge = new LoopbackModel((r, call) -> LoopbackModel.fail(503, "overloaded"));
             JudgeClient c = client()) {
            Judgment<Double> j = c.judge(ModelEndpoint.parseJudge("gpt-4@" + judge.baseUrl(), null), SINGLE, qa("q"), JudgeReplies::rating);
            assertThat(j.error()).contains("HTTP 503", "overloaded");
            assertThat(judge.calls()).isEqualTo(3);
        }
    }

    @Test
    void theJudgeSeesTheSystemPromptTheFilledTemplateAndTemperatureZero() throws Exception {
        try (LoopbackModel judge = new LoopbackModel((r, call) -> "[[5]]"); JudgeClient c = client()) {
            c.judge(ModelEndpoint.parseJudge("judge-x@" + judge.baseUrl(), null), SINGLE, qa("What is 2+2?"), JudgeReplies::rating);
            var body = judge.requests.get(0);
            assertThat(body.path("model").asText()).isEqualTo("judge-x");
            assertThat(body.path("temperature").asDouble()).isZero();
            assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo(SINGLE.systemPrompt());
            assertThat(body.path("messages").get(1).path("content").asText()).contains("[Question]\nWhat is 2+2?", "an answer");
        }
    }

    @Test
    void aRerunOnTheSameCacheMakesNoRequestsIncludingRetries() throws Exception {
        List<String> questions = List.of("a", "b", "c", "d");
        java.util.concurrent.atomic.AtomicInteger askedB = new java.util.concurrent.atomic.AtomicInteger();
        // "b" is unreadable the first time it is asked: the retry is cached too.
        try (LoopbackModel judge = new LoopbackModel((r, call) ->
                r.user().contains("[Question]\nb") && askedB.incrementAndGet() == 1 ? "hmm" : "[[4]]")) {
            ModelEndpoint j = ModelEndpoint.parseJudge("gpt-4@" + judge.baseUrl(), null);
            for (int run = 0; run < 2; run++) {
                try (JudgeClient c = client()) {
                    var out = c.map(questions, "judging", q -> c.judge(j, SINGLE, qa(q), JudgeReplies::rating));
                    assertThat(out).allMatch(o -> o.ok() && o.value().ok());
                    if (run == 1) {
                        assertThat(c.usage().of("gpt-4").calls.get()).isZero();
                        assertThat(c.usage().of("gpt-4").cached.get()).isEqualTo(5);
                    }
                }
            }
            assertThat(judge.calls()).isEqualTo(5);
        }
    }
}
