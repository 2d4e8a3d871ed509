package org.chatcorpus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;
import org.chatcorpus.core.tokenize.TokenCounter;
import org.chatcorpus.core.tokenize.TokenCounters;
import org.chatcorpus.pipeline.language.FastTextLanguageId;
import org.chatcorpus.pipeline.language.LanguageStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Print the LMSYS-Chat-1M \"Basic Statistics\" of a dataset (conversations, models, users, "
                + "languages, turns, tokens per prompt and response, as the paper's compute_stats.py), then model and language counts.",
                "Formats are detected per file: parquet, fastchat-log, lmsys, sharegpt, openai, hh."},
        footer = {"", "Examples:", "  chatcorpus stats release/", "  chatcorpus stats 'data/train-*.parquet' --tokenizer none --json stats.json",
                "  chatcorpus stats logs/ --format fastchat-log --tokenizer llama=tokenizer.json"})
final class StatsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Files, directories or globs.")
    List<String> inputs;

    @Option(names = "--format", description = "Force the input format instead of detecting it.")
    String format;

    @Option(names = "--tokenizer", defaultValue = "default",
            description = "llama=PATH | llama | cl100k | none (default: llama when its vocabulary is found, else cl100k).")
    String tokenizer;

    @Option(names = "--json", description = "Also write the statistics as JSON to this file.")
    Path json;

    @Option(names = "--top", defaultValue = "30", description = "How many models and languages to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
        Flags.atLeast(spec, "--top", top, 1);
        TokenCounter tokens = TokenCounters.resolve(tokenizer);
        CountingQuarantine quarantine = Quarantine.counting();
        BasicStatistics stats;
        try (Progress progress = Progress.start("stats", -1)) {
            // Raw FastChat logs carry no language: name it from the first prompt, as clean_chat_data.py did.
            stats = StatisticsRun.compute(new DatasetReader(inputs, format), tokens, quarantine, progress,
                    text -> FastTextLanguageId.detect(text, LanguageStage.DEFAULT_MIN_CONFIDENCE));
        }
        Inputs.requireData(stats.conversations(), quarantine, inputs, "conversations");
        quarantine.records().stream().limit(20).forEach(r -> System.err.println(r.describe()));
        if (quarantine.count() > 20) {
            System.err.println("… " + (quarantine.count() - 20) + " more quarantined records");
        }
        System.out.print(stats.render(top));
        if (json != null) {
            ObjectMapper m = new ObjectMapper();
            Files.writeString(json, m.writerWithDefaultPrettyPrinter().writeValueAsString(stats.toJson(m)));
            System.out.println("\nwrote " + json);
        }
        return 0;
    }
}
