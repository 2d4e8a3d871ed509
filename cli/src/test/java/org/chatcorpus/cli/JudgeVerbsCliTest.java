package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.usecases.judge.LoopbackModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The judge verbs run in-process against loopback models and judges; exit codes, printed tables and files are the contract. */
class JudgeVerbsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = ChatCorpus.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Models answer "<model> says ..."; the judge rates alpha 9 and beta 4, prefers alpha pairwise, and scores prompts 9. */
    private static LoopbackModel server() throws Exception {
        return new LoopbackModel((r, call) -> {
            if (!r.model().equals("judge")) {
                return r.model() + " says something about " + r.user().length();
            }
            if (r.system().contains("score_value")) {
                return "{\"score_value\": 9}";
            }
            String u = r.user();
            if (r.system().contains("[[A]]")) {
                int b = u.indexOf("Assistant B");
                return u.substring(0, b).contains("alpha says") ? "[[A]]" : "[[B]]";
            }
            return u.contains("alpha says") ? "Rating: [[9]]" : "Rating: [[4]]";
        });
    }

    @Test
    void mtBenchPrintsTheScoreTableAndARerunMakesNoRequests() throws Exception {
        Path q = dir.resolve("q.jsonl");
        Files.writeString(q, """
                {"question_id": 1, "category": "writing", "turns": ["Write a haiku.", "Another one."]}
                {"question_id": 2, "category": "stem", "turns": ["What is entropy?", "Simpler, please."]}
                """);
        Path out = dir.resolve("mt");
        try (LoopbackModel s = server()) {
            String[] args = {"mt-bench", "--questions", q.toString(), "--model", "alpha=" + s.baseUrl(), "--model", "beta=" + s.baseUrl(),
                    "--judge", "judge@" + s.baseUrl(), "--out", out.toString(), "--concurrency", "4"};
            Run first = run(args);
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out()).contains("turn 1", "average").containsPattern("alpha\\s+9.0000\\s+9.0000\\s+9.0000");
            assertThat(first.err()).contains("usage: judge: 8 calls");
            JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
            assertThat(results.path("models").path("beta").path("average").asDouble()).isEqualTo(4.0);
            assertThat(out.resolve("model_answer/alpha.jsonl")).exists();
            assertThat(out.resolve("model_judgment/judge_single.jsonl")).exists();
            int calls = s.calls();
            Run second = run(args);
            assertThat(second.code()).isZero();
            assertThat(s.calls()).isEqualTo(calls);
            assertThat(second.err()).contains("usage: judge: 0 calls, 8 from cache");

            Run pair = run("mt-bench", "--questions", q.toString(), "--model", "alpha=" + s.baseUrl(), "--model", "beta=" + s.baseUrl(),
                    "--judge", "judge@" + s.baseUrl(), "--out", dir.resolve("pair").toString(), "--mode", "pairwise");
            assertThat(pair.code()).as(pair.err()).isZero();
            JsonNode alpha = JSON.readTree(dir.resolve("pair/results.json").toFile()).path("models").path("alpha");
            assertThat(alpha.path("win").asInt()).isEqualTo(4);
            assertThat(alpha.path("win_rate").asDouble()).isEqualTo(1.0);
        }
    }

    @Test
    void aMalformedModelSpecIsRefusedWithTheExpectedShape() {
        Run r = run("mt-bench", "--questions", "q.jsonl", "--model", "alpha", "--judge", "j@http://127.0.0.1:1/v1", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("should be NAME=URL or NAME=ID@URL");
    }

    @Test
    void hardPromptsPseudoLabelAndInstructExportRunEndToEnd() throws Exception {
        Path data = dir.resolve("convs.jsonl");
        Files.write(data, List.of(
                "{\"conversation_id\": \"a\", \"model\": \"gpt-4\", \"conversation\": [{\"content\": \"Prove Fermat's little theorem\", \"role\": \"user\"}, {\"content\": \"Proof ...\", \"role\": \"assistant\"}], \"turn\": 1, \"language\": \"English\"}",
                "{\"conversation_id\": \"b\", \"model\": \"vicuna-13b\", \"conversation\": [{\"content\": \"hi\", \"role\": \"user\"}, {\"content\": \"hello\", \"role\": \"assistant\"}], \"turn\": 1, \"language\": \"English\"}"));
        Path pairs = dir.resolve("pairs.csv");
        Files.writeString(pairs, "id,prompt,response_a,response_b\n7,\"[\"\"Say hi\"\"]\",\"[\"\"beta says hi\"\"]\",\"[\"\"alpha says hi\"\"]\"\n");
        try (LoopbackModel s = server()) {
            Run hard = run("hard-prompts", data.toString(), "--judge", "judge@" + s.baseUrl(), "--out", dir.resolve("hard").toString());
            assertThat(hard.code()).as(hard.err()).isZero();
            assertThat(hard.out()).contains("distinct prompts: 2", "kept: 2");
            assertThat(Files.readAllLines(dir.resolve("hard/question.jsonl"))).hasSize(2);
            assertThat(dir.resolve("hard/scores.parquet")).exists();

            Path labels = dir.resolve("labels.csv");
            Run label = run("pseudo-label", pairs.toString(), "--judge", "judge@" + s.baseUrl(), "--out", labels.toString());
            assertThat(label.code()).as(label.err()).isZero();
            assertThat(label.out()).contains("model_b 1");
            assertThat(Files.readAllLines(labels)).containsExactly(
                    "id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie",
                    "7,,,\"[\"\"Say hi\"\"]\",\"[\"\"beta says hi\"\"]\",\"[\"\"alpha says hi\"\"]\",0,1,0");
        }
        Run export = run("instruct-export", data.toString(), "--subset", "highquality", "--out", dir.resolve("hq").toString());
        assertThat(export.code()).as(export.err()).isZero();
        JsonNode manifest = JSON.readTree(dir.resolve("hq/manifest.json").toFile());
        assertThat(manifest.path("conversations").asInt()).isEqualTo(1);
        assertThat(manifest.path("models").path("gpt-4").asInt()).isEqualTo(1);
    }
}
