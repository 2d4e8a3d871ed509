package org.chatcorpus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.core.generate.ReleaseWriter;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.SharedDataLocator;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;
import org.chatcorpus.core.tokenize.TokenCounter;
import org.chatcorpus.core.tokenize.TokenCounters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the main job end to end on built-in data: generate a small synthetic release, turn the real "
                + "public samples in ../shared/data (ShareGPT, Anthropic HH) into LMSYS-Chat-1M Parquet shards, and print "
                + "the Basic Statistics of each."},
        footer = {"", "Example:", "  chatcorpus demo --out demo-out"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "demo-out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--conversations", defaultValue = "2000", description = "Synthetic conversations (default: ${DEFAULT-VALUE}).")
    int conversations;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        TokenCounter tokens = TokenCounters.defaultCounter();
        System.out.println("== chatcorpus demo → " + out.toAbsolutePath());
        System.out.println("tokenizer: " + tokens.name());

        Path generated = out.resolve("generated");
        System.out.printf("%n[1] generating %,d synthetic conversations → %s%n", conversations, generated);
        GenerateCommand.generate(conversations, 42, generated, ParquetShardWriter.DEFAULT_SHARD_BYTES);
        printStats("synthetic", generated, tokens);

        Path shared = SharedDataLocator.find();
        if (shared == null) {
            System.out.println("\n[2] ../shared/data not found: skipping the real public samples");
        } else {
            Path samples = out.resolve("real-samples");
            List<String> inputs = new ArrayList<>();
            for (String name : List.of("fastchat-dummy-conversation.json", "hh-rlhf-harmless-base-test.jsonl.gz")) {
                if (Files.exists(shared.resolve(name))) {
                    inputs.add(shared.resolve(name).toString());
                }
            }
            System.out.println("\n[2] converting real public samples to LMSYS-Chat-1M shards → " + samples);
            inputs.forEach(i -> System.out.println("    " + i));
            CountingQuarantine q = Quarantine.counting();
            try (ReleaseWriter w = new ReleaseWriter(samples, "Public samples in the LMSYS-Chat-1M schema",
                    "ShareGPT (FastChat dummy conversations, Apache-2.0) and Anthropic HH-RLHF harmless-base test (MIT).",
                    ParquetShardWriter.DEFAULT_SHARD_BYTES)) {
                for (var c : new DatasetReader(inputs, null).readAll(q)) {
                    w.write(c);
                }
            }
            printStats("real samples", samples, tokens);
        }
        System.out.println("\nDone. Open " + out.toAbsolutePath() + " — each release has data/*.parquet and a README.md dataset card.");
        return 0;
    }

    private static void printStats(String label, Path release, TokenCounter tokens) throws IOException {
        CountingQuarantine q = Quarantine.counting();
        BasicStatistics s;
        try (Progress p = Progress.start("stats " + label, -1)) {
            s = StatisticsRun.compute(new DatasetReader(List.of(release.toString()), null), tokens, q, p);
        }
        System.out.println();
        System.out.print(s.markdownTable(label));
        System.out.print(s.render(5).lines().skip(8).reduce("", (a, b) -> a + b + "\n"));
    }
}
