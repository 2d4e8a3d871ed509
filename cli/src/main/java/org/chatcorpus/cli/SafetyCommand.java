package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.usecases.safety.JailbreakStats;
import org.chatcorpus.usecases.safety.SafetyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "safety", mixinStandardHelpOptions = true,
        description = {"Jailbreak statistics of a release (the paper's Table 4) from its own openai_moderation tags: per model "
                + "conversations, attempts (a user message flagged), successes (an attempt with a model message flagged), success "
                + "rate, and per category. Writes DIR/safety.json, DIR/categories.json, DIR/index.html and DIR/benchmark.jsonl: "
                + "the top N attempts per model by highest user-message score (ties: smaller conversation_id, then earlier "
                + "message), each cut after that user turn, ready for `safety-bench`."},
        footer = {"", "Example:", "  chatcorpus safety release/ --out safety/ --top 50"})
final class SafetyCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "Releases or conversation files with moderation tags.")
    List<String> inputs;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--top", defaultValue = "50", description = "Attempts per model in benchmark.jsonl (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--format", description = "Force an input format.")
    String format;

    @Override
    public Integer call() throws Exception {
        CountingQuarantine q = Quarantine.counting();
        JailbreakStats stats = new JailbreakStats(top);
        new DatasetReader(inputs, format).withColumns(java.util.Set.of("model", "conversation", "openai_moderation", "conversation_id",
                "turn", "language", "redacted")).read(stats::add, q, true);
        int written = SafetyReport.write(stats, out);
        System.out.print(SafetyReport.table(stats.counts()));
        if (q.count() > 0) {
            System.out.println("skipped " + q.count() + " unreadable records");
        }
        System.out.printf("wrote %s, %s and %s (%,d prompts)%n", out.resolve("safety.json"), out.resolve("index.html"),
                out.resolve("benchmark.jsonl"), written);
        return 0;
    }
}
