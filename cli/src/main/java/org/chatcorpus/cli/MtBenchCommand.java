package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.usecases.judge.JudgeClient;
import org.chatcorpus.usecases.judge.mtbench.MtBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mt-bench", mixinStandardHelpOptions = true,
        description = {"Answer MT-bench questions with each model (both turns, the second with the first in context) and "
                + "grade the answers with an LLM judge as FastChat's llm_judge does: single (a 1-10 score per turn) or "
                + "pairwise (both position orders; an inconsistent pair is a tie). Writes model_answer/NAME.jsonl, "
                + "model_judgment/JUDGE_single.jsonl or JUDGE_pair.jsonl, results.json and errors.jsonl under --out; "
                + "replies are cached there, so a rerun asks only what failed."},
        footer = {"", "Examples:",
                "  chatcorpus mt-bench --questions ../shared/data/mt-bench-questions.jsonl \\",
                "      --model vicuna-13b=http://127.0.0.1:8000/v1 --model llama-2-7b=http://127.0.0.1:8001/v1 \\",
                "      --judge gpt-4@https://api.openai.com/v1 --out mtbench-run",
                "  chatcorpus mt-bench --questions hard/question.jsonl --model a=http://127.0.0.1:8000/v1 \\",
                "      --model b=http://127.0.0.1:8001/v1 --judge gpt-4@https://api.openai.com/v1 --mode pairwise --out pair-run"})
final class MtBenchCommand implements Callable<Integer> {
    @Option(names = "--questions", required = true, paramLabel = "FILE", description = "MT-bench question.jsonl (question_id, category, turns[, reference]).")
    Path questions;

    @Option(names = "--model", required = true, paramLabel = "NAME=URL",
            description = "A model to answer: NAME=URL (NAME is also the model id sent) or NAME=ID@URL. Repeatable.")
    List<String> models;

    @Option(names = "--judge", required = true, paramLabel = "MODEL@URL", description = "The judge, e.g. gpt-4@https://api.openai.com/v1.")
    String judge;

    @Option(names = "--mode", defaultValue = "single", paramLabel = "single|pairwise", description = "Grading (default: ${DEFAULT-VALUE}).")
    MtBench.Mode mode;

    @Option(names = "--baseline", paramLabel = "NAME", description = "Pairwise: judge each model against this one instead of all pairs.")
    String baseline;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Mixin
    JudgeOptions options;

    @Override
    public Integer call() throws Exception {
        MtBench.Options o;
        try {
            o = new MtBench.Options(questions, models.stream().map(ModelEndpoint::parseModel).toList(), options.judge(judge), mode, baseline, out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        CountingQuarantine quarantine = Quarantine.counting();
        MtBench.Result r;
        try (JudgeClient client = options.open(out.resolve(JudgeClient.CACHE_FILE))) {
            r = MtBench.run(o, client, quarantine);
            JudgeOptions.printUsage(client);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        quarantine.records().stream().limit(10).forEach(q -> System.err.println(q.describe()));
        System.out.printf(Locale.ROOT, "questions: %d (%d lines skipped), answers: %d (%d failed), judgments: %d (%d without a value; see errors.jsonl)%n",
                r.questions(), quarantine.count(), r.answers(), r.answerErrors(), r.judgments(), r.judgmentErrors());
        r.table().forEach(System.out::println);
        System.out.println("wrote " + r.judgmentFile() + " and " + out.resolve("results.json"));
        return 0;
    }
}
