package org.chatcorpus.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.InputFiles;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.io.BattleWriters;
import org.chatcorpus.battles.io.BattleLogCleaner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "arena-export", mixinStandardHelpOptions = true,
        description = {"Export battles from FastChat vote logs as human-preference data:",
                "OUT/arena-conversations.jsonl (Chatbot Arena conversations layout) and",
                "OUT/human-preference.csv (Kaggle layout: id, model_a, model_b, prompt, response_a, response_b, "
                        + "winner_model_a, winner_model_b, winner_tie)."},
        footer = {"", "Example:", "  chatcorpus arena-export arena-data/logs --out export/"})
final class ArenaExportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "LOGS", description = "FastChat log files or directories.")
    List<String> logs;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--all", description = "Include named (side-by-side) battles, not only anonymous ones.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        List<Battle> battles = BattleLogCleaner.withoutLanguage().clean(InputFiles.expand(logs), Quarantine.counting()).battles();
        if (!all) {
            battles = battles.stream().filter(Battle::anony).toList();
        }
        Files.createDirectories(out);
        BattleWriters.write(battles, "arena-33k", out.resolve("arena-conversations.jsonl"));
        BattleWriters.write(battles, "kaggle", out.resolve("human-preference.csv"));
        System.out.println("exported " + battles.size() + " battles to " + out);
        return 0;
    }
}
