package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.usecases.judge.instruct.InstructExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "instruct-export", mixinStandardHelpOptions = true,
        description = {"Export an instruction-tuning subset as the LMSYS-Chat-1M paper (section 4.3) built them: highquality = "
                + "conversations answered by strong models (default: the OpenAI and Anthropic models present), upvote = "
                + "conversations whose answer won an Arena vote (FastChat logs). Drops conversations without an answer and "
                + "exact duplicates, optionally other languages. Writes train.json (ShareGPT, FastChat's trainer) or "
                + "train.jsonl (OpenAI messages, HF TRL) and manifest.json under --out."},
        footer = {"", "Examples:",
                "  chatcorpus instruct-export release/ --subset highquality --out hq",
                "  chatcorpus instruct-export arena-logs/ --subset upvote --format openai --language English --out upvote"})
final class InstructExportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "Conversation files or directories (upvote: FastChat logs).")
    List<String> inputs;

    @Option(names = "--subset", required = true, paramLabel = "highquality|upvote", description = "Which subset.")
    InstructExport.Subset subset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--format", defaultValue = "sharegpt", paramLabel = "sharegpt|openai", description = "Output format (default: ${DEFAULT-VALUE}).")
    InstructExport.Format format;

    @Option(names = "--models", split = ",", paramLabel = "M1,M2", description = "highquality: these models instead of the OpenAI and Anthropic ones.")
    List<String> models;

    @Option(names = "--language", paramLabel = "NAME", description = "Keep only this language (as the language column: English, German, ...).")
    String language;

    @Option(names = "--keep-duplicates", description = "Do not drop conversations whose messages repeat an earlier one.")
    boolean keepDuplicates;

    @Override
    public Integer call() throws Exception {
        CountingQuarantine quarantine = Quarantine.counting();
        InstructExport.Result r;
        try {
            r = InstructExport.run(new InstructExport.Options(inputs, subset, out, format, models, language, !keepDuplicates), quarantine);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        quarantine.records().stream().limit(10).forEach(q -> System.err.println(q.describe()));
        System.out.printf(Locale.ROOT, "read: %,d conversations (%,d records quarantined), exported: %,d, dropped: %s%n",
                r.read(), quarantine.count(), r.exported(), r.dropped().isEmpty() ? "none" : r.dropped());
        r.models().forEach((m, n) -> System.out.printf(Locale.ROOT, "  %-40s %,d%n", m, n));
        System.out.println("wrote " + r.file() + " and " + out.resolve("manifest.json"));
        return 0;
    }
}
