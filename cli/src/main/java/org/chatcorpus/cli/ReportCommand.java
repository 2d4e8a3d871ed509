package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.tokenize.TokenCounter;
import org.chatcorpus.core.tokenize.TokenCounters;
import org.chatcorpus.embed.MiniLmEmbedder;
import org.chatcorpus.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write an HTML report of a dataset (self-contained, opens from disk): the Basic Statistics, conversations per "
                + "model, language and day, turns, prompt and response token lengths, moderation and redaction shares, and topic "
                + "clusters of English prompts (all-MiniLM-L6-v2 embeddings, k-means, as FastChat's topic_clustering.py).",
                "Writes DIR/index.html, DIR/report.json (every number; 'stats' as 'chatcorpus stats --json'), DIR/charts/*.svg, and "
                        + "with topics DIR/topics.parquet (conversation_id, message_index, cluster) and DIR/embeddings.bin (a cache: "
                        + "a rerun with another --topics skips embedding) and DIR/conversation-vectors.bin (one vector per sampled "
                        + "conversation, stamped with the release's digest: `explore RELEASE --topics DIR/topics.parquet` lists similar "
                        + "conversations from it).",
                "The Safety section names who tagged the moderation (a local model with its F1, from the release's provenance.json, "
                        + "or OpenAI) and has the paper's Table 4 as the safety verb counts it (report.json: safety.models, safety.categories)."},
        footer = {"", "Examples:", "  chatcorpus report release/ --out report/",
                "  chatcorpus report 'data/*.parquet' --out report/ --tokenizer none --topics 0",
                "  chatcorpus report release/ --out report/ --topics 30 --sample 50000 "
                        + "--summarize-url http://localhost:8000 --summarize-model vicuna-13b"})
final class ReportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "Files, directories or globs.")
    List<String> inputs;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--format", description = "Force the input format instead of detecting it.")
    String format;

    @Option(names = "--tokenizer", defaultValue = "default",
            description = "llama=PATH | llama | cl100k | none (default: llama when its vocabulary is found, else cl100k).")
    String tokenizer;

    @Option(names = "--topics", defaultValue = "20", description = "Number of topic clusters; 0 disables clustering (default: ${DEFAULT-VALUE}).")
    int topics;

    @Option(names = "--sample", defaultValue = "100000",
            description = "How many distinct prompts to sample for clustering (default: ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the prompt sample and k-means (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--embedder", defaultValue = "minilm-q",
            description = "Sentence embeddings for topics: minilm-q (all-MiniLM-L6-v2 int8, ~2x faster, cosine 0.99 to full) or minilm (full precision) (default: ${DEFAULT-VALUE}).")
    String embedder;

    @Option(names = "--summarize-url", description = "An OpenAI-compatible server to summarise each topic in one line.")
    String summarizeUrl;

    @Option(names = "--summarize-model", description = "The model to ask for topic summaries (with --summarize-url).")
    String summarizeModel;

    @Option(names = "--explorer-url", paramLabel = "URL",
            description = "Where 'chatcorpus explore' serves this same dataset (e.g. http://127.0.0.1:7870): topic examples link to their conversations.")
    String explorerUrl;

    @Override
    public Integer call() throws Exception {
        if ((summarizeUrl == null) != (summarizeModel == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--summarize-url and --summarize-model go together");
        }
        Flags.atLeast(spec, "--topics", topics, 0);
        Flags.atLeast(spec, "--sample", sample, 0);
        TokenCounter tokens = TokenCounters.resolve(tokenizer);
        CountingQuarantine quarantine = Quarantine.counting();
        Report.Options options = new Report.Options(topics, sample, seed, summarizeUrl, summarizeModel, System.getenv("OPENAI_API_KEY"),
                explorerUrl);
        Report.Outcome o = Report.generate(new DatasetReader(inputs, format), inputs, tokens, quarantine, options, MiniLmEmbedder.named(embedder), out,
                Progress.isInteractive());
        Inputs.requireData(o.stats().conversations(), quarantine, inputs, "conversations");
        quarantine.records().stream().limit(20).forEach(r -> System.err.println(r.describe()));
        o.warnings().forEach(w -> System.err.println("warning: " + w));
        System.out.printf("report of %,d conversations: %s (%d charts%s)%n", o.stats().conversations(), out.resolve("index.html"),
                o.charts().size(), o.topics() == null ? "" : ", " + o.topics().topics().size() + " topics");
        return 0;
    }
}
