package org.chatcorpus.usecases.judge.mtbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.usecases.judge.JudgeClient;

/**
 * The mt-bench verb's work, as FastChat's llm_judge runs it (gen_api_answer.py, gen_judgment.py,
 * show_result.py): the models answer every question, the judge grades the answers, and the scores
 * are tallied. Writes, under the output directory, {@code model_answer/NAME.jsonl},
 * {@code model_judgment/JUDGE_single.jsonl} (or {@code JUDGE_pair.jsonl}), {@code results.json} and
 * {@code errors.jsonl} (answers that failed and judgments without a value). Every call goes through
 * the output's reply cache, so a rerun asks nothing again.
 */
public final class MtBench {
    public enum Mode { SINGLE, PAIRWISE }

    /**
     * @param baseline pairwise only: judge every model against this one (pairwise-baseline) instead of all pairs
     */
    public record Options(Path questions, List<ModelEndpoint> models, ModelEndpoint judge, Mode mode, String baseline, Path out) {
        public Options {
            Objects.requireNonNull(questions, "questions");
            Objects.requireNonNull(judge, "judge");
            models = List.copyOf(models);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("give at least one --model NAME=URL");
            }
            if (new HashSet<>(models.stream().map(ModelEndpoint::name).toList()).size() != models.size()) {
                throw new IllegalArgumentException("two --model options have the same NAME; names must differ");
            }
            if (mode == Mode.PAIRWISE && baseline == null && models.size() < 2) {
                throw new IllegalArgumentException("pairwise mode needs two or more --model options");
            }
            if (baseline != null && models.stream().noneMatch(m -> m.name().equals(baseline))) {
                throw new IllegalArgumentException("--baseline " + baseline + " is not one of the --model names");
            }
        }
    }

    /** What a run did: the results.json tree, the printed table, and its counts. */
    public record Result(ObjectNode results, List<String> table, int questions, int answers, int answerErrors,
                         int judgments, int judgmentErrors, Path judgmentFile) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private MtBench() {
    }

    public static Result run(Options o, JudgeClient client, Quarantine quarantine) throws IOException {
        List<Question> questions = QuestionFile.read(o.questions(), quarantine);
        if (questions.isEmpty()) {
            throw new IllegalArgumentException(o.questions() + " holds no MT-bench question (question_id, category, turns)");
        }
        Files.createDirectories(o.out());
        Answers.Result answers = Answers.generate(questions, o.models(), client);
        Answers.write(o.out().resolve("model_answer"), answers, JSON);
        List<String> names = o.models().stream().map(ModelEndpoint::name).toList();
        List<ObjectNode> records = new ArrayList<>();
        List<ObjectNode> errors = new ArrayList<>();
        for (Answers.Failure f : answers.failures()) {
            ObjectNode e = JSON.createObjectNode();
            e.put("stage", "answer");
            e.set("question_id", f.question().id());
            e.put("model", f.model());
            e.put("error", f.error());
            errors.add(e);
        }
        ObjectNode results;
        List<String> table;
        String suffix;
        int judgmentErrors = 0;
        if (o.mode() == Mode.SINGLE) {
            List<SingleGrading.Row> rows = SingleGrading.judge(SingleGrading.matches(questions, answers), o.judge(), client);
            for (SingleGrading.Row r : rows) {
                records.add(SingleGrading.record(r, o.judge().name(), JSON));
                if (!r.judgment().ok()) {
                    judgmentErrors++;
                    errors.add(judgmentError(r.match().question(), r.match().model(), r.match().turn(), r.judgment().error()));
                }
            }
            results = SingleGrading.results(rows, names, JSON);
            table = SingleGrading.table(results);
            suffix = "_single.jsonl";
        } else {
            List<PairwiseGrading.Row> rows = PairwiseGrading.judge(
                    PairwiseGrading.matches(questions, answers, names, o.baseline()), o.judge(), client);
            for (PairwiseGrading.Row r : rows) {
                records.add(PairwiseGrading.record(r, o.judge().name(), JSON));
                for (var g : List.of(r.g1(), r.g2())) {
                    if (!g.ok()) {
                        judgmentErrors++;
                        errors.add(judgmentError(r.match().question(), r.match().model1() + " vs " + r.match().model2(),
                                r.match().turn(), g.error()));
                    }
                }
            }
            results = PairwiseGrading.results(rows, names, o.baseline(), JSON);
            table = PairwiseGrading.table(results);
            suffix = "_pair.jsonl";
        }
        Path judgmentFile = o.out().resolve("model_judgment").resolve(fileName(o.judge().name()) + suffix);
        writeLines(judgmentFile, records);
        writeLines(o.out().resolve("errors.jsonl"), errors);
        Files.writeString(o.out().resolve("results.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results) + "\n", StandardCharsets.UTF_8);
        int answered = answers.byModel().values().stream().mapToInt(java.util.Map::size).sum();
        return new Result(results, table, questions.size(), answered, answers.failures().size(), records.size(), judgmentErrors, judgmentFile);
    }

    private static ObjectNode judgmentError(Question q, String model, int turn, String error) {
        ObjectNode e = JSON.createObjectNode();
        e.put("stage", "judgment");
        e.set("question_id", q.id());
        e.put("model", model);
        e.put("turn", turn);
        e.put("error", error);
        return e;
    }

    private static void writeLines(Path file, List<ObjectNode> lines) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (ObjectNode n : lines) {
                // A reply may hold a lone surrogate (an API's "\\ud800" escape): UTF-8 files get U+FFFD, the project's one rule.
                w.write(Utf16.scrub(JSON.writeValueAsString(n)));
                w.write('\n');
            }
        }
    }

    /** A model or judge name as a file name: characters other than letters, digits, '.', '_' and '-' become '_'. */
    static String fileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }
}
