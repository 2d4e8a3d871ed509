package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.battles.io.BattleWriters;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.preference.PairMiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = {"Mine pairs of conversations whose first user prompt is the same after normalization (Unicode NFKC, case, "
                + "whitespace) and whose models differ, written as unlabeled Kaggle rows "
                + "(id,model_a,model_b,prompt,response_a,response_b): raw material for pseudo-labels. Deterministic."},
        footer = {"", "Example:", "  chatcorpus pairs release/data --out pairs.csv --max-per-prompt 3",
                "  chatcorpus preference predict pref.model pairs.csv --out pseudo-labels.csv"})
final class PairsCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "Conversation files, directories or globs (any readable format).")
    List<String> inputs;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output CSV.")
    Path out;

    @Option(names = "--max-per-prompt", defaultValue = "3", description = "At most this many pairs per prompt (default: ${DEFAULT-VALUE}).")
    int maxPerPrompt;

    @Option(names = "--format", description = "Force the input format (default: detected per file).")
    String format;

    @Override
    public Integer call() throws Exception {
        CountingQuarantine quarantine = Quarantine.counting();
        PairMiner.Result r = new PairMiner(maxPerPrompt).mine(new DatasetReader(inputs, format), quarantine);
        quarantine.records().stream().limit(10).forEach(q -> System.err.println(q.describe()));
        BattleWriters.write(r.pairs(), "kaggle", out);
        System.out.printf("%d conversations (%d without a prompt and answer, %d quarantined): %d pairs from %d prompts written to %s%n",
                r.conversations(), r.withoutPrompt(), quarantine.count(), r.pairs().size(), r.groups(), out);
        return 0;
    }
}
