package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.usecases.judge.JudgeClient;
import org.chatcorpus.usecases.judge.hardprompts.HardPrompts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "hard-prompts", mixinStandardHelpOptions = true,
        description = {"Find challenging prompts as the LMSYS-Chat-1M paper (section 4.4) and Arena-Hard do: each judge scores "
                + "every distinct first user prompt (paper: 1-10 on problem solving, creativity and real-world knowledge; "
                + "arena-hard: how many of 7 criteria it meets); prompts every judge scores >= the threshold are kept, "
                + "optionally the K best per topic cluster of a report. Writes question.jsonl (MT-bench question format), "
                + "scores.parquet (conversation_id, prompt, judge, score) and errors.jsonl under --out."},
        footer = {"", "Examples:",
                "  chatcorpus hard-prompts release/ --judge gpt-3.5-turbo@https://api.openai.com/v1 \\",
                "      --judge gpt-4@https://api.openai.com/v1 --out hard",
                "  chatcorpus hard-prompts release/ --judge gpt-4@https://api.openai.com/v1 --criteria arena-hard \\",
                "      --topics report/topics.parquet --per-cluster 2 --out arena-hard"})
final class HardPromptsCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "Conversation files or directories (any supported format).")
    List<String> inputs;

    @Option(names = "--judge", required = true, paramLabel = "MODEL@URL", description = "A judge; repeat for several (a prompt must pass them all).")
    List<String> judges;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--threshold", paramLabel = "S", description = "Minimum score from every judge (default: 9 for paper, 6 for arena-hard).")
    Double threshold;

    @Option(names = "--per-cluster", paramLabel = "K", defaultValue = "0", description = "Keep at most K prompts per topic cluster (needs --topics).")
    int perCluster;

    @Option(names = "--topics", paramLabel = "FILE", description = "A report's topics.parquet (chatcorpus report --topics N).")
    Path topics;

    @Option(names = "--criteria", paramLabel = "paper|arena-hard", defaultValue = "paper", converter = CriteriaConverter.class,
            description = "Scoring rubric (default: ${DEFAULT-VALUE}).")
    HardPrompts.Criteria criteria;

    @Mixin
    JudgeOptions options;

    static final class CriteriaConverter implements picocli.CommandLine.ITypeConverter<HardPrompts.Criteria> {
        @Override
        public HardPrompts.Criteria convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "paper" -> HardPrompts.Criteria.PAPER;
                case "arena-hard", "arena_hard" -> HardPrompts.Criteria.ARENA_HARD;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not paper or arena-hard");
            };
        }
    }

    @Override
    public Integer call() throws Exception {
        HardPrompts.Result r;
        CountingQuarantine quarantine = Quarantine.counting();
        try {
            HardPrompts.Options o = new HardPrompts.Options(inputs, options.judges(judges), out, threshold, perCluster, topics, criteria);
            java.nio.file.Files.createDirectories(out);
            try (JudgeClient client = options.open(out.resolve(JudgeClient.CACHE_FILE))) {
                r = HardPrompts.run(o, client, quarantine);
                JudgeOptions.printUsage(client);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        quarantine.records().stream().limit(10).forEach(q -> System.err.println(q.describe()));
        System.out.printf(Locale.ROOT, "conversations: %,d (%,d records quarantined), distinct prompts: %,d, scores: %,d, without a score: %,d%n",
                r.conversations(), quarantine.count(), r.prompts(), r.scores(), r.errors());
        System.out.printf(Locale.ROOT, "passed every judge: %,d, kept: %,d%s%n", r.passed(), r.kept(),
                perCluster > 0 ? String.format(Locale.ROOT, " (%,d passed but were not in the report's clusters)", r.unclustered()) : "");
        System.out.println("wrote " + out.resolve("question.jsonl") + " and " + out.resolve("scores.parquet"));
        return 0;
    }
}
