package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.battles.io.BattleReaders;
import org.chatcorpus.battles.io.BattleWriters;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "battles", mixinStandardHelpOptions = true,
        description = "Work with battle files (preference data) in any public layout.",
        subcommands = BattlesCommand.Convert.class,
        footer = {"", "Example:", "  chatcorpus battles convert train.csv --to arena-33k --out arena.jsonl"})
final class BattlesCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Convert battles from any readable layout (fastchat-log, kaggle, arena-33k, arena-100k, clean-battle, hh-pairs) "
                    + "to kaggle (the competition's CSV, in its own style), arena-33k (JSON lines) or clean-battle (an indented JSON array).",
                    "Unlabeled battles (Kaggle test rows) give the unlabeled Kaggle layout and are left out of the Arena layouts."},
            footer = {"", "Examples:", "  chatcorpus battles convert train.csv --to arena-33k --out arena.jsonl",
                    "  chatcorpus battles convert clean_battle_conv_20240814.json --to kaggle --out train.csv",
                    "  chatcorpus battles convert ../shared/data/hh-rlhf-harmless-base-test.jsonl.gz --format hh-pairs --to kaggle --out hh.csv"})
    static final class Convert implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Battle files, directories or globs.")
        List<String> inputs;

        @Option(names = "--to", required = true, description = "Output layout: kaggle, arena-33k or clean-battle.")
        String to;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file.")
        Path out;

        @Option(names = "--format", defaultValue = "auto", description = "Force the input layout (default: detected per file).")
        String format;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the coin that places HH pairs' chosen side (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            if (!BattleWriters.FORMATS.contains(to)) {
                System.err.println("--to " + to + ": cannot write that layout; use one of " + String.join(", ", BattleWriters.FORMATS));
                return 2;
            }
            CountingQuarantine quarantine = Quarantine.counting();
            BattleReaders.Loaded loaded = BattleReaders.read(inputs, format, seed, quarantine);
            quarantine.records().stream().limit(10).forEach(q -> System.err.println(q.describe()));
            BattleWriters.Written w = BattleWriters.write(loaded.battles(), to, out);
            System.out.println("read " + loaded.perFormat() + ", quarantined " + quarantine.count() + "; wrote " + w.rows() + " battles to "
                    + out + (w.skippedUnlabeled() > 0 ? " (" + w.skippedUnlabeled() + " unlabeled left out: " + to + " needs a winner)" : ""));
            return 0;
        }
    }
}
