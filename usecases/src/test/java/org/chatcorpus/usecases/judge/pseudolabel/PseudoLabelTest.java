package org.chatcorpus.usecases.judge.pseudolabel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.llm.RetryPolicy;
import org.chatcorpus.usecases.judge.JudgeClient;
import org.chatcorpus.usecases.judge.LoopbackModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudoLabelTest {
    @TempDir
    Path dir;

    /** Nine rows: quotes, commas, escaped newlines and a null answer in cells; a row that is not JSON; turn counts that differ. */
    private Path pairs() throws Exception {
        Path in = dir.resolve("pairs.csv");
        try (var res = getClass().getResourceAsStream("pairs.csv")) {
            Files.write(in, res.readAllBytes());
        }
        return in;
    }

    /** Prefers the side whose answers say GOOD; always A on BIASED; unreadable on UNREADABLE; HTTP 400 on FAIL. */
    static LoopbackModel judge() throws Exception {
        return new LoopbackModel((r, call) -> {
            String u = r.user();
            if (u.contains("BIASED")) {
                return "[[A]]";
            }
            if (u.contains("UNREADABLE")) {
                return "Both are fine.";
            }
            if (u.contains("FAIL")) {
                return LoopbackModel.fail(400, "blocked");
            }
            int b = u.indexOf("Assistant B");
            boolean goodA = u.substring(0, b).contains("GOOD");
            boolean goodB = u.substring(b).contains("GOOD");
            return goodA && !goodB ? "[[A]]" : goodB && !goodA ? "[[B]]" : "[[C]]";
        });
    }

    private PseudoLabel.Result run(LoopbackModel judge, Path in, Path out, CountingQuarantine q) throws Exception {
        try (JudgeClient client = JudgeClient.open(dir.resolve("cache.jsonl"), 4,
                new ChatClient(Duration.ofSeconds(10), new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5))))) {
            return PseudoLabel.run(in, ModelEndpoint.parseJudge("gpt-4@" + judge.baseUrl(), null), out, client, q);
        }
    }

    private static Map<String, CSVRecord> readBack(Path out) throws Exception {
        Map<String, CSVRecord> rows = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(out, StandardCharsets.UTF_8);
             CSVParser csv = CSVParser.parse(r, CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build())) {
            assertThat(csv.getHeaderNames()).containsExactly(KagglePairsCsv.OUTPUT_HEADER);
            csv.forEach(rec -> rows.put(rec.get("id"), rec));
        }
        return rows;
    }

    private static String winner(CSVRecord r) {
        return r.get("winner_model_a") + r.get("winner_model_b") + r.get("winner_tie");
    }

    @Test
    void pairsAreJudgedInBothOrdersAndLabeledInKaggleTrainColumns() throws Exception {
        Path in = pairs();
        Path out = dir.resolve("labels.csv");
        CountingQuarantine q = Quarantine.counting();
        try (LoopbackModel judge = judge()) {
            PseudoLabel.Result r = run(judge, in, out, q);
            assertThat(r.pairs()).isEqualTo(7);
            assertThat(r.labeled()).isEqualTo(5);
            assertThat(r.errors()).isEqualTo(2);
            assertThat(r.inconsistent()).isEqualTo(1);

            Map<String, CSVRecord> rows = readBack(out);
            assertThat(rows.keySet()).containsExactly("1", "2", "3", "4", "5");
            assertThat(winner(rows.get("1"))).isEqualTo("100");
            assertThat(winner(rows.get("2"))).isEqualTo("010");
            assertThat(winner(rows.get("3"))).isEqualTo("001");
            assertThat(winner(rows.get("4"))).isEqualTo("010");
            assertThat(winner(rows.get("5"))).as("a judge that always says A is inconsistent: a tie").isEqualTo("001");
            // Cells are written back as they came, quotes, commas and newline escapes included.
            assertThat(rows.get("2").get("response_b")).isEqualTo("[\"GOOD hello,\\nworld\"]");
            assertThat(rows.get("2").get("prompt")).isEqualTo("[\"Say, \\\"hello\\\"\"]");
            assertThat(rows.get("4").get("model_a")).isEqualTo("m2");

            // Both orders: response_b is shown first in the second game; two turns use the conversation prompt.
            assertThat(judge.requests).anyMatch(b -> b.toString().contains("Assistant A's Answer]\\nBAD hi"));
            assertThat(judge.requests).anyMatch(b -> b.toString().contains("### User:\\nTurn two\\n\\n### Assistant A:\\nGOOD 2"));

            assertThat(q.records()).extracting(x -> x.location() + ": " + x.reason())
                    .anyMatch(s -> s.startsWith("id 6: no verdict") && s.contains("[[A]]"))
                    .anyMatch(s -> s.startsWith("id 7: no verdict") && s.contains("HTTP 400"))
                    .anyMatch(s -> s.contains("cell `prompt` is not a JSON list"))
                    .anyMatch(s -> s.contains("hold 2, 1 and 1 turns"));
        }
    }

    @Test
    void aRerunAsksOnlyWhatFailed() throws Exception {
        Path in = pairs();
        Path out = dir.resolve("labels.csv");
        try (LoopbackModel judge = judge()) {
            run(judge, in, out, Quarantine.counting());
            byte[] first = Files.readAllBytes(out);
            int calls = judge.calls();
            run(judge, in, out, Quarantine.counting());
            // Pair 7's two games failed with a 400: a failure is not cached. Everything else is.
            assertThat(judge.calls() - calls).isEqualTo(2);
            assertThat(Files.readAllBytes(out)).isEqualTo(first);
        }
    }

    @Test
    void aFileWithoutTheKaggleColumnsIsRefusedWithTheMissingColumn() throws Exception {
        Path in = dir.resolve("pairs.csv");
        Files.writeString(in, "id,question,answer\n1,a,b\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KagglePairsCsv.read(in, Quarantine.counting()))
                .hasMessageContaining("column `prompt` is missing");
        assertThat(List.of()).isEmpty();
    }
}
