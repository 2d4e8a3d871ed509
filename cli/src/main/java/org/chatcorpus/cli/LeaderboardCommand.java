package org.chatcorpus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.InputFiles;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.battles.io.BattleLogCleaner;
import org.chatcorpus.battles.rating.Leaderboard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "leaderboard", mixinStandardHelpOptions = true,
        description = {"Compute the Chatbot Arena leaderboard from FastChat vote logs: online Elo (K=4) and "
                + "Bradley-Terry ratings with bootstrap 95%% intervals, anonymous battles only unless --all."},
        footer = {"", "Examples:", "  chatcorpus leaderboard arena-data/logs", "  chatcorpus leaderboard logs/*.json --json lb.json --rounds 1000"})
final class LeaderboardCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "LOGS", description = "FastChat log files or directories (*-conv.json).")
    List<String> logs;

    @Option(names = "--json", description = "Also write {\"battles\", \"elo\", \"bt\"} to this file.")
    Path json;

    @Option(names = "--all", description = "Count named (side-by-side) battles too.")
    boolean all;

    @Option(names = "--rounds", defaultValue = "100", description = "Bootstrap rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", defaultValue = "0", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        List<Path> files = InputFiles.expand(logs);
        CountingQuarantine quarantine = Quarantine.counting();
        BattleLogCleaner.Result r = BattleLogCleaner.withoutLanguage().clean(files, quarantine);
        quarantine.records().stream().limit(10).forEach(q -> System.err.println(q.describe()));
        Leaderboard lb = Leaderboard.compute(r.battles(), !all, rounds, seed);
        var c = r.counts();
        System.out.printf(Locale.ROOT, "votes: %d, invalid: %d, leaked identity: %d, malformed lines: %d, battles used: %d%n",
                c.votes(), c.invalid(), c.leakedIdentity(), c.malformed(), lb.battles());
        print(lb);
        if (json != null) {
            ObjectMapper m = new ObjectMapper();
            Files.writeString(json, m.writerWithDefaultPrettyPrinter().writeValueAsString(lb.toJson(m)));
            System.out.println("wrote " + json);
        }
        return 0;
    }

    /** Prints the ranking: Bradley-Terry rating with its bootstrap interval, then the online Elo. */
    static void print(Leaderboard lb) {
        System.out.printf(Locale.ROOT, "%-5s %-40s %8s %15s %8s%n", "rank", "model", "rating", "95% CI", "elo");
        int rank = 1;
        for (var e : lb.bt().entrySet()) {
            var x = e.getValue();
            System.out.printf(Locale.ROOT, "%-5d %-40s %8.1f %15s %8.1f%n", rank++, e.getKey(), x.rating(),
                    String.format(Locale.ROOT, "+%.1f/-%.1f", x.upper() - x.rating(), x.rating() - x.lower()),
                    lb.elo().getOrDefault(e.getKey(), Double.NaN));
        }
    }
}
