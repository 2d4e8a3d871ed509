package org.chatcorpus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.tokenize.TokenCounters;
import org.chatcorpus.embed.MiniLmEmbedder;
import org.chatcorpus.usecases.compare.CompareHtml;
import org.chatcorpus.usecases.compare.Comparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Two corpora side by side (any readable format): counts, models, languages, turns, token lengths, "
                + "NAME_n redaction; B's first prompts found in A (exact after NFKC/case/whitespace normalization, and "
                + "near-duplicates with curate's MinHash settings), with examples; A's topic clusters and their share in B. "
                + "Writes DIR/compare.json and a self-contained DIR/index.html."},
        footer = {"", "Examples:", "  chatcorpus compare lmsys-chat-1m/ kaggle/train.csv --out cmp/",
                "  chatcorpus compare release-a/ release-b/ --out cmp/ --topics 0 --tokenizer none"})
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "The reference corpus (file, folder or glob).")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The corpus compared with it.")
    String b;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--format", description = "Force the input format of both corpora (default: detected per file).")
    String format;

    @Option(names = "--near-threshold", defaultValue = "0.8", description = "Estimated Jaccard similarity of a near-duplicate (default: ${DEFAULT-VALUE}, as curate).")
    double nearThreshold;

    @Option(names = "--topics", defaultValue = "20", description = "Topic clusters of A, as the paper's 20 (0: none; default: ${DEFAULT-VALUE}).")
    int topics;

    @Option(names = "--topic-sample", defaultValue = "10000", description = "Prompts sampled from each corpus for topics (default: ${DEFAULT-VALUE}).")
    int topicSample;

    @Option(names = "--token-sample", defaultValue = "5000", description = "Conversations sampled from each corpus for token lengths (default: ${DEFAULT-VALUE}).")
    int tokenSample;

    @Option(names = "--tokenizer", defaultValue = "default", description = "llama, llama=PATH, cl100k or none (default: Llama when its vocabulary is found).")
    String tokenizer;

    @Option(names = "--embedder", defaultValue = "minilm-q", description = "minilm-q (int8, fast) or minilm (default: ${DEFAULT-VALUE}).")
    String embedder;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (nearThreshold <= 0 || nearThreshold > 1 || topics < 0 || topicSample < 0 || tokenSample < 0) {
            throw new UserError(ExitCode.USAGE, "--near-threshold must be in (0, 1], and --topics, --topic-sample, --token-sample at least 0",
                    "see compare --help for the defaults");
        }
        CountingQuarantine quarantine = Quarantine.counting();
        Comparison.Options o = new Comparison.Options(nearThreshold, topics, topicSample, tokenSample, 5, seed,
                TokenCounters.resolve(tokenizer), topics > 0 ? MiniLmEmbedder.named(embedder) : null);
        long t0 = System.nanoTime();
        Comparison.Result r = Comparison.run(label(a), new DatasetReader(List.of(a), format), label(b), new DatasetReader(List.of(b), format),
                o, quarantine);
        var json = r.json();
        if (json.path("a").path("conversations").asLong() == 0 || json.path("b").path("conversations").asLong() == 0) {
            throw new UserError(ExitCode.NO_DATA, "no readable conversations in " + (json.path("a").path("conversations").asLong() == 0 ? a : b)
                    + " (" + quarantine.count() + " records quarantined)", "check the path, or force the format with --format");
        }
        Files.createDirectories(out);
        ObjectMapper m = new ObjectMapper();
        Files.writeString(out.resolve("compare.json"), m.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
        Files.writeString(out.resolve("index.html"), CompareHtml.render(json), StandardCharsets.UTF_8);
        var ov = json.path("overlap");
        System.out.printf(Locale.ROOT, "A %s: %,d conversations; B %s: %,d conversations%n", label(a), json.path("a").path("conversations").asLong(),
                label(b), json.path("b").path("conversations").asLong());
        System.out.printf(Locale.ROOT, "overlap: %,d exact (%.2f%% of B), %,d near-duplicate at >= %.2f (%.2f%%)%n", ov.path("exact").asLong(),
                ov.path("exact_share").asDouble() * 100, ov.path("near").asLong(), nearThreshold, ov.path("near_share").asDouble() * 100);
        if (quarantine.count() > 0) {
            System.err.println("quarantined " + quarantine.count() + " unreadable records");
        }
        System.out.printf(Locale.ROOT, "wrote %s and %s in %.1f s%n", out.resolve("compare.json"), out.resolve("index.html"), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static String label(String input) {
        Path p = Path.of(input.replaceAll("[*?\\[{].*$", ""));
        Path name = p.getFileName();
        return name == null ? input : name.toString();
    }
}
