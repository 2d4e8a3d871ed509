package org.chatcorpus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.InputFiles;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.SharedDataLocator;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;
import org.chatcorpus.core.tokenize.TokenCounter;
import org.chatcorpus.core.tokenize.TokenCounters;
import org.chatcorpus.pipeline.LocalRunner;
import org.chatcorpus.pipeline.PipelineConfig;
import org.chatcorpus.pipeline.moderation.EmbeddingModerationModel;
import org.chatcorpus.pipeline.moderation.EmbeddingModerationTrainer;
import org.chatcorpus.pipeline.moderation.ModerationTrainer;
import org.chatcorpus.embed.MiniLmEmbedder;
import org.chatcorpus.report.Report;
import org.chatcorpus.server.arena.ArenaChance;
import org.chatcorpus.server.arena.ArenaConfig;
import org.chatcorpus.server.arena.ArenaService;
import org.chatcorpus.server.arena.TrafficReplay;
import org.chatcorpus.battles.io.BattleLogCleaner;
import org.chatcorpus.battles.rating.Leaderboard;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job end to end on built-in data, the way LMSYS-Chat-1M was made: collect conversations
 * through the Arena (simulated visitors replaying real public prompts to loopback models), train
 * the offline moderation model, curate the raw logs into a release, measure it, and rank the
 * models from the votes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the main job end to end on built-in data: (1) generate a synthetic LMSYS-shaped release, "
                + "(2) collect conversations through the Arena — simulated visitors replay real public prompts from "
                + "../shared/data (MT-bench, Anthropic HH, ShareGPT) to loopback models, with battles and votes — "
                + "(3) train the offline moderation model, (4) curate the raw logs into a release, (5) print its "
                + "Basic Statistics, (6) the leaderboard from the votes and (7) write the HTML report with charts and topics; with --explore, (8) serve the release in the explorer."},
        footer = {"", "Example:", "  chatcorpus demo --out demo-out"})
final class DemoCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Hidden strengths of the scripted models: the first public Arena leaderboard (May 2023). */
    static final Map<String, Double> DEMO_STRENGTHS = Map.of("vicuna-13b", 1169.0, "koala-13b", 1082.0,
            "alpaca-13b", 1008.0, "chatglm-6b", 985.0, "llama-13b", 854.0);

    @Option(names = "--out", defaultValue = "demo-out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--conversations", defaultValue = "2000", description = "Synthetic conversations (default: ${DEFAULT-VALUE}).")
    int conversations;

    @Option(names = "--visitors", defaultValue = "1500",
            description = "Anthropic HH dialogs replayed through the Arena, besides all MT-bench and ShareGPT ones (default: ${DEFAULT-VALUE}).")
    int visitors;

    @Option(names = "--topics", defaultValue = "10", description = "Topic clusters in the report; 0 skips clustering (default: ${DEFAULT-VALUE}).")
    int topics;

    @Option(names = "--explore", description = "Finish by serving the curated release in the explorer (Ctrl-C to stop).")
    boolean explore;

    @Option(names = "--port", defaultValue = "7870", description = "Explorer port with --explore (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for generation, traffic and curation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Flags.atLeast(spec, "--conversations", conversations, 1);
        Flags.atLeast(spec, "--visitors", visitors, 0);
        Flags.atLeast(spec, "--topics", topics, 0);
        Flags.port(spec, "--port", port);
        Files.createDirectories(out);
        List<String> previous = DemoOutput.clean(out);
        TokenCounter tokens = TokenCounters.defaultCounter();
        Path shared = SharedDataLocator.find();
        System.out.println("== chatcorpus demo → " + out.toAbsolutePath());
        if (!previous.isEmpty()) {
            System.out.println("removed the previous demo's " + String.join(", ", previous) + ": this run starts from a clean output");
        }
        System.out.println("tokenizer: " + tokens.name() + "; shared data: " + (shared == null ? "not found" : shared));

        Path generated = out.resolve("generated");
        System.out.printf("%n[1] generating %,d synthetic LMSYS-shaped conversations → %s%n", conversations, generated);
        GenerateCommand.generate(conversations, seed, generated, ParquetShardWriter.DEFAULT_SHARD_BYTES);

        Path arena = out.resolve("arena");
        System.out.printf("%n[2] collecting through the Arena (loopback models, simulated visitors) → %s%n", arena);
        List<List<String>> dialogs = shared != null ? DemoPrompts.load(shared, visitors) : List.of();
        if (dialogs.isEmpty()) {
            dialogs = syntheticDialogs(generated);
            System.out.println("    ../shared/data not found: replaying the synthetic prompts instead");
        }
        Path logs = collect(arena, dialogs);

        Path model = out.resolve("moderation.model");
        Path labeled = shared == null ? null : shared.resolve("openai-moderation-dev.jsonl.gz");
        if (labeled != null && Files.exists(labeled)) {
            // The embedding model (the default kind): it rarely flags ordinary chat, so the demo's
            // safety figures mean something; about a minute of training.
            System.out.printf("%n[3] training the offline moderation model (embedding kind) on %s → %s%n", labeled, model);
            EmbeddingModerationTrainer.Result trained = EmbeddingModerationTrainer.train(List.of(labeled), EmbeddingModerationModel.STATIC, seed,
                    Quarantine.counting());
            trained.model().save(model);
            var flagged = trained.cvMetrics().path("flagged");
            System.out.printf("    flagged, %d-fold cross-validated: precision %.3f recall %.3f f1 %.3f (%d texts)%n", EmbeddingModerationTrainer.FOLDS,
                    flagged.path("precision").asDouble(), flagged.path("recall").asDouble(), flagged.path("f1").asDouble(), trained.examples());
        } else {
            // Without OpenAI's samples only the synthetic release's own tags can teach it: the fast n-gram kind.
            List<Path> trainingData = InputFiles.expand(List.of(generated.toString()));
            System.out.printf("%n[3] training the offline moderation model (n-gram kind) on %s → %s%n", trainingData, model);
            ModerationTrainer.Result trained = ModerationTrainer.train(trainingData, 0.2, seed, Quarantine.counting());
            trained.model().save(model);
            var flagged = trained.heldOutMetrics().path("flagged");
            System.out.printf("    held-out flagged: precision %.3f recall %.3f f1 %.3f (%d train, %d test)%n",
                    flagged.path("precision").asDouble(), flagged.path("recall").asDouble(), flagged.path("f1").asDouble(),
                    trained.trainSize(), trained.testSize());
        }

        Path release = out.resolve("release");
        System.out.printf("%n[4] curating the Arena logs → %s%n", release);
        PipelineConfig cfg = new PipelineConfig(seed, PipelineConfig.defaults().stages())
                .withOption("moderate", "provider", "local=" + model);
        LocalRunner.Result curated = new LocalRunner(cfg, ParquetShardWriter.DEFAULT_SHARD_BYTES).run(List.of(logs.toString()), null, release);
        System.out.print(LocalRunner.summaryTable(curated.counts()));
        System.out.printf("release: %,d conversations; card %s; provenance %s%n", curated.output().numExamples(),
                release.resolve("README.md"), curated.provenance());

        System.out.printf("%n[5] Basic Statistics%n");
        printStats("curated Arena release", release, tokens);
        printStats("synthetic release", generated, tokens);

        System.out.printf("%n[6] leaderboard from the Arena votes (hidden strengths: %s)%n", DEMO_STRENGTHS);
        BattleLogCleaner.Result battles = BattleLogCleaner.withoutLanguage().clean(InputFiles.expand(List.of(logs.toString())),
                Quarantine.counting());
        Leaderboard lb = Leaderboard.compute(battles.battles(), true, 100, seed);
        LeaderboardCommand.print(lb);
        Path leaderboardJson = out.resolve(DemoOutput.LEADERBOARD);
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Files.writeString(leaderboardJson, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(lb.toJson(mapper)));
        System.out.println("    wrote " + leaderboardJson);

        Path reportDir = out.resolve("report");
        System.out.printf("%n[7] report of the curated release (charts, safety, %d topic clusters) → %s%n", topics, reportDir);
        Report.Outcome report = Report.generate(new DatasetReader(List.of(release.toString()), null), List.of(release.toString()), tokens,
                Quarantine.counting(), new Report.Options(topics, 100_000, seed, null, null, null,
                        explore ? "http://127.0.0.1:" + port : null), MiniLmEmbedder.named("minilm-q"), reportDir,
                Progress.isInteractive());
        if (report.topics() != null) {
            report.topics().topics().stream().limit(5).forEach(t -> System.out.printf("    topic %d (%d prompts): %s%n", t.id(), t.size(),
                    String.join(", ", t.keywords().subList(0, Math.min(6, t.keywords().size())))));
        }

        System.out.println("\nDone. Open " + reportDir.resolve("index.html").toAbsolutePath() + " in a browser.");
        System.out.println("In " + out.toAbsolutePath() + ": release/ is the curated dataset (data/*.parquet, README.md card, "
                + "provenance.json), release.work/quarantine/ its rejected records; arena/logs/ the raw FastChat logs; generated/ the synthetic release; report/ the report.");
        if (explore) {
            System.out.printf("%n[8] serving the curated release in the explorer%n");
            Path topicsFile = reportDir.resolve("topics.parquet");
            ExploreCommand.serveUntilStopped(List.of(release.toString()), "parquet", Files.exists(topicsFile) ? topicsFile : null,
                    out.resolve("explore-index"), "127.0.0.1", port);
        }
        return 0;
    }

    private Path collect(Path arena, List<List<String>> dialogs) throws IOException {
        try (ScriptedModelServer models = ScriptedModelServer.start(0)) {
            ArenaConfig cfg = ArenaConfig.defaults().withModels(ArenaConfig.scriptedModels(models.baseUrl()))
                    .withDataDir(arena.toString()).withLimits(new ArenaConfig.Limits(1_000_000, 0, 0));
            TrafficReplay.Summary s;
            // Seeded chance and clock, battle sides in turn: the same seed logs the same events in the same order.
            try (ArenaService service = ArenaService.open(cfg, ArenaChance.seeded(seed)); Progress p = Progress.start("arena visitors", dialogs.size())) {
                s = new TrafficReplay(service, DEMO_STRENGTHS, 0.5, Math.max(1, dialogs.size() / 3), seed).replay(dialogs, p);
            }
            System.out.printf("    %,d visitors: %,d single-model chats, %,d anonymous battles, %,d votes, %,d turns, %,d rejected%n",
                    s.dialogs(), s.chats(), s.battles(), s.votes(), s.turns(), s.rejected());
        }
        return arena.resolve("logs");
    }

    private static List<List<String>> syntheticDialogs(Path generated) throws IOException {
        List<List<String>> dialogs = new ArrayList<>();
        for (Conversation c : new DatasetReader(List.of(generated.toString()), null).readAll(Quarantine.counting())) {
            dialogs.add(c.conversation().stream().filter(m -> "user".equals(m.role())).map(Message::content).limit(3).toList());
            if (dialogs.size() >= 500) {
                break;
            }
        }
        return dialogs;
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
