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
import java.util.Map;
import org.chatcorpus.pipeline.engine.Engine;
import org.chatcorpus.pipeline.engine.EngineUnavailableException;
import org.chatcorpus.pipeline.engine.Engines;
import org.chatcorpus.pipeline.engine.StatsJob;
import org.chatcorpus.pipeline.engine.StatsResult;
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
                "  chatcorpus stats logs/ --format fastchat-log --tokenizer llama=tokenizer.json",
                "  chatcorpus stats release-1m/ --tokenizer cl100k --engine spark --master local[2]"})
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

    @Option(names = "--engine", paramLabel = "local|spark", defaultValue = Engines.LOCAL,
            description = "Where to count: local (default) or spark (Apache Spark; inputs may be file:, hdfs:, s3a: URIs; "
                    + "a llama=PATH tokenizer must be readable on every executor).")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "With --engine spark: the Spark master (default: spark-submit's, else local[*]).")
    String master;

    @Override
    public Integer call() throws Exception {
        Flags.atLeast(spec, "--top", top, 1);
        if (!engine.equals(Engines.LOCAL) && !engine.equals("spark")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--engine must be local or spark, not '" + engine + "'");
        }
        if (master != null && engine.equals(Engines.LOCAL)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--master belongs to --engine spark");
        }
        CountingQuarantine quarantine = Quarantine.counting();
        BasicStatistics stats;
        if (!engine.equals(Engines.LOCAL)) {
            Engine e = Engines.find(engine).orElseThrow(() -> new UserError(ExitCode.FAILED, "the " + engine + " engine is not on the class path",
                    "build it with `mvn -B -DskipTests package -pl cli -am` and run through ./chatcorpus"));
            StatsResult r;
            try {
                r = e.stats(new StatsJob(inputs, format, tokenizer, master == null ? Map.of() : Map.of("master", master)));
            } catch (EngineUnavailableException x) {
                throw new UserError(ExitCode.FAILED, x.getMessage(), x.hint());
            }
            stats = r.statistics();
            quarantine = r.quarantine();
            return print(stats, quarantine);
        }
        TokenCounter tokens = TokenCounters.resolve(tokenizer);
        try (Progress progress = Progress.start("stats", -1)) {
            // Raw FastChat logs carry no language: name it from the first prompt, as clean_chat_data.py did.
            stats = StatisticsRun.compute(new DatasetReader(inputs, format), tokens, quarantine, progress,
                    text -> FastTextLanguageId.detect(text, LanguageStage.DEFAULT_MIN_CONFIDENCE));
        }
        return print(stats, quarantine);
    }

    private int print(BasicStatistics stats, CountingQuarantine quarantine) throws java.io.IOException {
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
