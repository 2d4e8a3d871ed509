package org.chatcorpus.usecases.judge.mtbench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.testing.SharedData;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.llm.RetryPolicy;
import org.chatcorpus.usecases.judge.JudgeClient;
import org.chatcorpus.usecases.judge.LoopbackModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MtBenchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** "good" answers GOOD, "bad" answers BAD and refuses question 83 with a 400. */
    private static LoopbackModel models() throws Exception {
        return new LoopbackModel((r, call) -> {
            if (r.model().equals("bad") && r.user().startsWith("Imagine you are writing a blog post comparing")) {
                return LoopbackModel.fail(400, "refused");
            }
            return (r.model().equals("good") ? "GOOD " : "BAD ") + "answer to: " + r.user().substring(0, Math.min(30, r.user().length()));
        });
    }

    /**
     * Rates an answer with GOOD 8 and BAD 3; on pairwise prompts prefers the side with GOOD. Never
     * gives a readable reply about the Hawaii question (81) and fails with 400 on the email question (82).
     */
    private static LoopbackModel judge() throws Exception {
        return new LoopbackModel((r, call) -> {
            String u = r.user();
            if (u.contains("travel blog post about a recent trip to Hawaii")) {
                return "This is fine, I suppose.";
            }
            if (u.contains("professional email seeking your supervisor")) {
                return LoopbackModel.fail(400, "content filter");
            }
            if (r.system().contains("[[A]]")) {
                int b = u.indexOf("Assistant B");
                String sideA = u.substring(0, b);
                String sideB = u.substring(b);
                return sideA.contains("GOOD") && !sideB.contains("GOOD") ? "A is better. [[A]]"
                        : sideB.contains("GOOD") && !sideA.contains("GOOD") ? "B is better. [[B]]" : "Same. [[C]]";
            }
            String answer = u.substring(Math.max(u.lastIndexOf("### Assistant A:"), u.lastIndexOf("[The Start of Assistant's Answer]")));
            return answer.contains("GOOD") ? "Solid. Rating: [[8]]" : "Weak. Rating: [[3]]";
        });
    }

    private MtBench.Result run(Path questions, LoopbackModel models, LoopbackModel judge, MtBench.Mode mode, String baseline,
                               Path out, List<String> names) throws Exception {
        List<ModelEndpoint> endpoints = names.stream().map(n -> ModelEndpoint.parseModel(n + "=" + models.baseUrl())).toList();
        try (JudgeClient client = JudgeClient.open(out.resolve(JudgeClient.CACHE_FILE), 8,
                new ChatClient(Duration.ofSeconds(10), new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5))))) {
            return MtBench.run(new MtBench.Options(questions, endpoints, ModelEndpoint.parseJudge("gpt-4@" + judge.baseUrl(), null),
                    mode, baseline, out), client, Quarantine.counting());
        }
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void singleGradingOfTheEightyQuestionsWritesFastChatsLayoutAndScores() throws Exception {
        Path questions = SharedData.file("mt-bench-questions.jsonl");
        Path out = dir.resolve("out");
        try (LoopbackModel models = models(); LoopbackModel judge = judge()) {
            MtBench.Result r = run(questions, models, judge, MtBench.Mode.SINGLE, null, out, List.of("good", "bad"));

            List<JsonNode> good = lines(out.resolve("model_answer/good.jsonl"));
            assertThat(good).hasSize(80);
            assertThat(good.get(0).path("question_id").asInt()).isEqualTo(81);
            assertThat(good.get(0).path("model_id").asText()).isEqualTo("good");
            assertThat(good.get(0).path("choices").get(0).path("turns")).hasSize(2);
            assertThat(lines(out.resolve("model_answer/bad.jsonl"))).hasSize(79)
                    .noneMatch(a -> a.path("question_id").asInt() == 83);
            // The second turn is asked with the first turn and its answer in context.
            assertThat(models.requests).anyMatch(b -> b.path("messages").size() == 3
                    && b.path("messages").get(1).path("content").asText().startsWith("GOOD answer to: Compose an engaging travel"));
            // Answers are sampled at llm_judge's per-category temperatures.
            assertThat(models.requests).anyMatch(b -> b.toString().contains("Compose an engaging") && b.path("temperature").asDouble() == 0.7);
            assertThat(models.requests).allMatch(b -> !b.toString().contains("Implement a program to find the common elements")
                    || b.path("temperature").asDouble() == 0.0);

            List<JsonNode> judgments = lines(out.resolve("model_judgment/gpt-4_single.jsonl"));
            assertThat(judgments).hasSize(80 * 2 + 79 * 2);
            JsonNode first = judgments.get(0);
            assertThat(first.path("judge").get(0).asText()).isEqualTo("gpt-4");
            assertThat(first.path("judge").get(1).asText()).isEqualTo("single-v1");
            assertThat(first.path("score").isNull()).isTrue();
            assertThat(first.path("error").asText()).contains("no [[rating]]");
            assertThat(judgments).filteredOn(j -> j.path("question_id").asInt() == 111 && j.path("turn").asInt() == 1)
                    .allMatch(j -> j.path("judge").get(1).asText().equals("single-math-v1")
                            && j.path("user_prompt").asText().contains("[The Start of Reference Answer]"));
            assertThat(judgments).filteredOn(j -> j.path("turn").asInt() == 2 && j.path("question_id").asInt() == 130)
                    .allMatch(j -> j.path("judge").get(1).asText().equals("single-math-v1-multi-turn"));

            // 81 unreadable and 82 failing, for both models and both turns.
            assertThat(r.judgmentErrors()).isEqualTo(8);
            assertThat(lines(out.resolve("errors.jsonl"))).hasSize(1 + 8);
            JsonNode results = JSON.readTree(out.resolve("results.json").toFile()).path("models");
            assertThat(results.path("good").path("turn1").asDouble()).isEqualTo(8.0);
            assertThat(results.path("good").path("turn2").asDouble()).isEqualTo(8.0);
            assertThat(results.path("good").path("average").asDouble()).isEqualTo(8.0);
            assertThat(results.path("bad").path("average").asDouble()).isEqualTo(3.0);
            assertThat(r.table().get(1)).startsWith("good");
        }
    }

    @Test
    void aRerunMakesNoRequestsAndWritesTheSameBytes() throws Exception {
        Path questions = SharedData.file("mt-bench-questions.jsonl");
        Path out = dir.resolve("out");
        try (LoopbackModel models = models(); LoopbackModel judge = judge()) {
            run(questions, models, judge, MtBench.Mode.SINGLE, null, out, List.of("good", "bad"));
            Map<Path, byte[]> before = snapshot(out);
            int modelCalls = models.calls();
            int judgeCalls = judge.calls();
            run(questions, models, judge, MtBench.Mode.SINGLE, null, out, List.of("good", "bad"));
            // Only what failed is asked again (a failure is never cached): the refused answer to 83 and
            // the four judgments of 82 that the judge refused; the unreadable replies about 81 are cached.
            assertThat(models.calls() - modelCalls).isEqualTo(1);
            assertThat(judge.calls() - judgeCalls).isEqualTo(4);
            Map<Path, byte[]> after = snapshot(out);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            before.forEach((p, b) -> assertThat(after.get(p)).as(p.toString()).isEqualTo(b));
        }
    }

    private static Map<Path, byte[]> snapshot(Path out) throws Exception {
        Map<Path, byte[]> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.endsWith(JudgeClient.CACHE_FILE)).toList()) {
                m.put(out.relativize(p), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void pairwiseGradingJudgesBothOrdersAndCountsWins() throws Exception {
        Path questions = dir.resolve("q.jsonl");
        Files.writeString(questions, """
                {"question_id": 1, "category": "writing", "turns": ["Write a haiku.", "Now another."]}
                {"question_id": 2, "category": "math", "turns": ["What is 2+2?", "And 3+3?"], "reference": ["4", "6"]}
                {"question_id": 3, "category": "stem", "turns": ["Explain travel blog post about a recent trip to Hawaii"]}
                """);
        Path out = dir.resolve("pair");
        try (LoopbackModel models = models(); LoopbackModel judge = judge()) {
            MtBench.Result r = run(questions, models, judge, MtBench.Mode.PAIRWISE, null, out, List.of("good", "bad"));
            List<JsonNode> rows = lines(out.resolve("model_judgment/gpt-4_pair.jsonl"));
            assertThat(rows).hasSize(5);
            JsonNode q1 = rows.get(0);
            assertThat(q1.path("g1_winner").asText()).isEqualTo("model_1");
            assertThat(q1.path("g2_winner").asText()).isEqualTo("model_1");
            assertThat(q1.path("g1_user_prompt").asText()).contains("Assistant A's Answer]\nGOOD");
            assertThat(q1.path("g2_user_prompt").asText()).contains("Assistant A's Answer]\nBAD");
            assertThat(rows).filteredOn(x -> x.path("question_id").asInt() == 2 && x.path("turn").asInt() == 2)
                    .singleElement().satisfies(x -> assertThat(x.path("judge").get(1).asText()).isEqualTo("pair-math-v1-multi-turn"));
            assertThat(rows).filteredOn(x -> x.path("question_id").asInt() == 3).singleElement()
                    .satisfies(x -> assertThat(x.path("g1_winner").asText()).isEqualTo("error"));
            JsonNode good = r.results().path("models").path("good");
            assertThat(good.path("win").asLong()).isEqualTo(4);
            assertThat(good.path("loss").asLong()).isZero();
            assertThat(good.path("win_rate").asDouble()).isEqualTo(1.0);
            assertThat(r.results().path("models").path("bad").path("loss").asLong()).isEqualTo(4);
        }
    }

    @Test
    void aJudgeThatAlwaysPrefersTheFirstAnswerGivesOnlyTies() throws Exception {
        Path questions = dir.resolve("q.jsonl");
        Files.writeString(questions, "{\"question_id\": 1, \"category\": \"writing\", \"turns\": [\"Write a haiku.\"]}\n");
        try (LoopbackModel models = models(); LoopbackModel biased = new LoopbackModel((r, call) -> "[[A]]")) {
            MtBench.Result r = run(questions, models, biased, MtBench.Mode.PAIRWISE, null, dir.resolve("o"), List.of("good", "bad"));
            assertThat(r.results().path("models").path("good").path("tie").asLong()).isEqualTo(1);
            assertThat(r.results().path("models").path("good").path("win").asLong()).isZero();
        }
    }

    @Test
    void aBadQuestionLineIsQuarantinedAndTheRestIsAnswered() throws Exception {
        Path questions = dir.resolve("q.jsonl");
        Files.writeString(questions, """
                {"question_id": 1, "category": "writing", "turns": ["Write a haiku."]}
                {"question_id": 2, "category": "writing", "turns": [3]}
                not json
                """);
        CountingQuarantine q = Quarantine.counting();
        List<Question> read = QuestionFile.read(questions, q);
        assertThat(read).hasSize(1);
        assertThat(q.count()).isEqualTo(2);
        assertThat(q.records().get(0).describe()).contains("line 2", "turns");
    }

    @Test
    void anAnswerWithALoneSurrogateIsWrittenWithAReplacementCharacter() throws Exception {
        Path questions = dir.resolve("q.jsonl");
        Files.writeString(questions, "{\"question_id\": 1, \"category\": \"writing\", \"turns\": [\"Write a haiku.\"]}\n");
        try (LoopbackModel models = new LoopbackModel((r, call) -> "GOOD half an emoji \ud83d here");
             LoopbackModel judge = judge()) {
            MtBench.Result r = run(questions, models, judge, MtBench.Mode.SINGLE, null, dir.resolve("o"), List.of("good"));
            assertThat(r.answers()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("o/model_answer/good.jsonl"), StandardCharsets.UTF_8)).contains("half an emoji \ufffd here");
            assertThat(Files.readString(dir.resolve("o/model_judgment/gpt-4_single.jsonl"), StandardCharsets.UTF_8)).contains("\ufffd");
        }
    }
}
