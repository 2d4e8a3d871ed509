package org.chatcorpus.usecases.judge.hardprompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.llm.RetryPolicy;
import org.chatcorpus.report.TopicAssignments;
import org.chatcorpus.usecases.judge.JudgeClient;
import org.chatcorpus.usecases.judge.LoopbackModel;
import org.chatcorpus.usecases.judge.mtbench.Question;
import org.chatcorpus.usecases.judge.mtbench.QuestionFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardPromptsTest {
    @TempDir
    Path dir;

    /** ShareGPT conversations: c1/c2 hard, c3 hard for one judge only, c4 a case-and-space duplicate of c1, c5 chit-chat, c6 unreadable to judge-a, c7 empty. */
    private Path dataset() throws Exception {
        Path f = dir.resolve("convs.json");
        Files.writeString(f, """
                [
                 {"id": "c1", "model": "m", "conversations": [{"from": "human", "value": "HARD: prove that there are infinitely many primes"}, {"from": "gpt", "value": "..."}]},
                 {"id": "c2", "model": "m", "conversations": [{"from": "human", "value": "HARD+: design a lock-free queue"}, {"from": "gpt", "value": "..."}]},
                 {"id": "c3", "model": "m", "conversations": [{"from": "human", "value": "MEDIUM: write a poem about rust"}, {"from": "gpt", "value": "..."}]},
                 {"id": "c4", "model": "m", "conversations": [{"from": "human", "value": "  hard:   PROVE that there are infinitely many primes "}, {"from": "gpt", "value": "..."}]},
                 {"id": "c5", "model": "m", "conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]},
                 {"id": "c6", "model": "m", "conversations": [{"from": "human", "value": "UNREADABLE: something"}, {"from": "gpt", "value": "..."}]},
                 {"id": "c7", "model": "m", "conversations": [{"from": "human", "value": "   "}, {"from": "gpt", "value": "..."}]}
                ]
                """);
        return f;
    }

    /** judge-a and judge-b, scoring by the prompt's tag; judge-a never answers readably about UNREADABLE. */
    private static LoopbackModel judges(AtomicInteger seenByA) throws Exception {
        return new LoopbackModel((r, call) -> {
            String u = r.user();
            boolean a = r.model().equals("judge-a");
            if (a) {
                seenByA.incrementAndGet();
            }
            if (r.system().contains("seven criteria")) {
                boolean hard = u.contains("HARD");
                return "{\"specificity\": true, \"domain_knowledge\": true, \"complexity\": " + hard + ", \"problem_solving\": " + hard
                        + ", \"creativity\": false, \"technical_accuracy\": true, \"real_world\": true, \"score_value\": 0}";
            }
            int score = u.contains("HARD+") ? 10 : u.contains("HARD") ? 9 : u.contains("MEDIUM") ? (a ? 9 : 5) : 2;
            if (u.contains("UNREADABLE")) {
                return a ? "I cannot rate this." : "{\"score_value\": 10}";
            }
            return "```json\n{\"topic_modeling\": \"t\", \"score_reason\": \"r\", \"score_value\": " + score + "}\n```";
        });
    }

    private HardPrompts.Result run(LoopbackModel judges, HardPrompts.Options o) throws Exception {
        try (JudgeClient client = JudgeClient.open(o.out().resolve(JudgeClient.CACHE_FILE), 4,
                new ChatClient(Duration.ofSeconds(10), new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5))))) {
            return HardPrompts.run(o, client, Quarantine.counting());
        }
    }

    private static List<ModelEndpoint> twoJudges(LoopbackModel server) {
        return List.of(ModelEndpoint.parseJudge("judge-a@" + server.baseUrl(), null), ModelEndpoint.parseJudge("judge-b@" + server.baseUrl(), null));
    }

    record Score(String conversationId, String prompt, String judge, double score) {
    }

    private static List<Score> readScores(Path file) throws Exception {
        List<Score> out = new ArrayList<>();
        ParquetReader.Builder<Group> b = new ParquetReader.Builder<Group>(new LocalInputFile(file), new PlainParquetConfiguration()) {
            @Override
            protected ReadSupport<Group> getReadSupport() {
                return new GroupReadSupport();
            }
        };
        try (ParquetReader<Group> r = b.build()) {
            for (Group g; (g = r.read()) != null; ) {
                out.add(new Score(g.getString("conversation_id", 0), g.getString("prompt", 0), g.getString("judge", 0), g.getDouble("score", 0)));
            }
        }
        return out;
    }

    @Test
    void promptsEveryJudgeScoresAtTheThresholdBecomeMtBenchQuestions() throws Exception {
        AtomicInteger seenByA = new AtomicInteger();
        Path out = dir.resolve("hard");
        try (LoopbackModel server = judges(seenByA)) {
            HardPrompts.Result r = run(server, new HardPrompts.Options(List.of(dataset().toString()), twoJudges(server), out, null, 0, null,
                    HardPrompts.Criteria.PAPER));
            assertThat(r.conversations()).isEqualTo(7);
            assertThat(r.prompts()).as("c4 repeats c1, c7 is empty").isEqualTo(5);
            assertThat(r.scores()).isEqualTo(9);
            assertThat(r.errors()).isEqualTo(1);
            assertThat(r.kept()).isEqualTo(2);

            CountingQuarantine q = Quarantine.counting();
            List<Question> questions = QuestionFile.read(out.resolve("question.jsonl"), q);
            assertThat(q.count()).isZero();
            assertThat(questions).extracting(x -> x.id().asInt()).containsExactly(1, 2);
            assertThat(questions).extracting(Question::category).containsOnly("hard-prompt");
            // Best mean score first: c2 (10, 10) before c1 (9, 9).
            assertThat(questions.get(0).turns()).containsExactly("HARD+: design a lock-free queue");
            assertThat(questions.get(1).turns()).containsExactly("HARD: prove that there are infinitely many primes");

            List<Score> scores = readScores(out.resolve("scores.parquet"));
            assertThat(scores).hasSize(9);
            assertThat(scores).contains(new Score("c3", "MEDIUM: write a poem about rust", "judge-b", 5.0));
            assertThat(scores).noneMatch(s -> s.conversationId().equals("c6") && s.judge().equals("judge-a"));
            assertThat(Files.readString(out.resolve("errors.jsonl"))).contains("\"conversation_id\":\"c6\"", "judge-a", "score_value");
        }
    }

    @Test
    void aRerunMakesNoRequests() throws Exception {
        AtomicInteger seenByA = new AtomicInteger();
        Path out = dir.resolve("hard");
        try (LoopbackModel server = judges(seenByA)) {
            HardPrompts.Options o = new HardPrompts.Options(List.of(dataset().toString()), twoJudges(server), out, null, 0, null, HardPrompts.Criteria.PAPER);
            run(server, o);
            byte[] questions = Files.readAllBytes(out.resolve("question.jsonl"));
            byte[] scores = Files.readAllBytes(out.resolve("scores.parquet"));
            int calls = server.calls();
            run(server, o);
            assertThat(server.calls()).isEqualTo(calls);
            assertThat(Files.readAllBytes(out.resolve("question.jsonl"))).isEqualTo(questions);
            assertThat(Files.readAllBytes(out.resolve("scores.parquet"))).isEqualTo(scores);
        }
    }

    @Test
    void arenaHardCriteriaCountTheCriteriaMetAgainstThresholdSix() throws Exception {
        Path out = dir.resolve("ah");
        try (LoopbackModel server = judges(new AtomicInteger())) {
            HardPrompts.Result r = run(server, new HardPrompts.Options(List.of(dataset().toString()),
                    List.of(ModelEndpoint.parseJudge("judge-b@" + server.baseUrl(), null)), out, null, 0, null, HardPrompts.Criteria.ARENA_HARD));
            assertThat(r.kept()).as("HARD prompts meet 6 of 7, the others 4").isEqualTo(2);
            assertThat(readScores(out.resolve("scores.parquet"))).extracting(Score::score).containsOnly(6.0, 4.0);
        }
    }

    @Test
    void perClusterKeepsTheBestKOfEachReportCluster() throws Exception {
        Path topics = dir.resolve("topics.parquet");
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(topics)).withConf(new PlainParquetConfiguration())
                .withType(TopicAssignments.SCHEMA).build()) {
            SimpleGroupFactory g = new SimpleGroupFactory(TopicAssignments.SCHEMA);
            w.write(g.newGroup().append("conversation_id", "c1").append("message_index", 0).append("cluster", 3));
            w.write(g.newGroup().append("conversation_id", "c2").append("message_index", 0).append("cluster", 3));
            w.write(g.newGroup().append("conversation_id", "c3").append("message_index", 0).append("cluster", 0));
        }
        Path out = dir.resolve("k");
        try (LoopbackModel server = judges(new AtomicInteger())) {
            // judge-a alone passes c1, c2, c3 and c6 (unreadable to it: no); c6 is not in the report's sample.
            HardPrompts.Result r = run(server, new HardPrompts.Options(List.of(dataset().toString()),
                    List.of(ModelEndpoint.parseJudge("judge-a@" + server.baseUrl(), null)), out, null, 1, topics, HardPrompts.Criteria.PAPER));
            List<Question> q = QuestionFile.read(out.resolve("question.jsonl"), Quarantine.counting());
            assertThat(q).extracting(Question::category).containsExactly("cluster-0", "cluster-3");
            assertThat(q.get(1).turns()).containsExactly("HARD+: design a lock-free queue");
            assertThat(r.kept()).isEqualTo(2);
        }
    }

    @Test
    void perClusterWithoutTopicsIsRefused() {
        assertThatThrownBy(() -> new HardPrompts.Options(List.of("x"), List.of(ModelEndpoint.parseJudge("j@http://127.0.0.1:1/v1", null)),
                dir, null, 2, null, HardPrompts.Criteria.PAPER)).hasMessageContaining("--per-cluster needs --topics");
    }
}
