package org.chatcorpus.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.JsonlQuarantine;
import org.chatcorpus.usecases.judge.JudgeClient;
import org.chatcorpus.usecases.judge.pseudolabel.PseudoLabel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pseudo-label", mixinStandardHelpOptions = true,
        description = {"Label Kaggle-layout preference pairs (id,prompt,response_a,response_b[,model_a,model_b]; cells are JSON "
                + "lists of strings) with an LLM judge: each pair is judged in both orders and written with "
                + "winner_model_a,winner_model_b,winner_tie (games that disagree give a tie). Pairs left without a verdict "
                + "and unreadable rows go to FILE.rejected.jsonl; replies are cached in judge-cache.jsonl beside FILE."},
        footer = {"", "Example:", "  chatcorpus pseudo-label pairs.csv --judge gpt-4@https://api.openai.com/v1 --out labels.csv"})
final class PseudoLabelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PAIRS", description = "Kaggle-layout CSV of pairs.")
    Path pairs;

    @Option(names = "--judge", required = true, paramLabel = "MODEL@URL", description = "The judge, e.g. gpt-4@https://api.openai.com/v1.")
    String judge;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The labeled CSV to write (Kaggle train.csv columns).")
    Path out;

    @Mixin
    JudgeOptions options;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(pairs)) {
            throw new UserError(ExitCode.USAGE, pairs + " is not a file", "give a Kaggle-layout CSV of pairs (id,prompt,response_a,response_b)");
        }
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path rejected = out.resolveSibling(out.getFileName() + ".rejected.jsonl");
        PseudoLabel.Result r;
        try (JudgeClient client = options.open(dir.resolve(JudgeClient.CACHE_FILE)); JsonlQuarantine quarantine = new JsonlQuarantine(rejected)) {
            r = PseudoLabel.run(pairs, options.judge(judge), out, client, quarantine);
            JudgeOptions.printUsage(client);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        System.out.printf(Locale.ROOT, "pairs: %d, labeled: %d (model_a %d, model_b %d, tie %d of which %d inconsistent), no verdict: %d%n",
                r.pairs(), r.labeled(), r.modelA(), r.modelB(), r.ties(), r.inconsistent(), r.errors());
        System.out.println("wrote " + out + (Files.size(rejected) > 0 ? " and " + rejected : ""));
        return 0;
    }
}
