package org.chatcorpus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chatcorpus.battles.io.BattleReaders;
import org.chatcorpus.battles.rating.BattleSelection;
import org.chatcorpus.battles.rating.BradleyTerry;
import org.chatcorpus.battles.rating.Leaderboard;
import org.chatcorpus.battles.rating.LeaderboardHtml;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "leaderboard", mixinStandardHelpOptions = true,
        description = {"Compute the Chatbot Arena leaderboard from battles in any format (FastChat logs, clean_battle JSON, "
                + "arena-33k, the 100k/140k releases, the Kaggle CSV, HH pairs): online Elo (K=4) and Bradley-Terry ratings "
                + "with bootstrap 95%% intervals and the CI-based rank, as FastChat's elo_analysis.py; anonymous battles only "
                + "unless --all."},
        footer = {"", "Examples:", "  chatcorpus leaderboard arena-data/logs",
                "  chatcorpus leaderboard clean_battle_20240814.json --language English --exclude-tie --html lb/",
                "  chatcorpus leaderboard train.csv --json lb.json --rounds 1000 --anchor gpt-4-0613=1163"})
final class LeaderboardCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "BATTLES", description = "Battle files, directories or globs; the format is detected per file.")
    List<String> inputs;

    @Option(names = "--format", defaultValue = "auto", description = "Force a battle format: auto, fastchat-log, kaggle, arena-33k, "
            + "arena-100k, clean-battle, hh-pairs (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--json", description = "Also write {\"battles\", \"elo\", \"bt\": {model: {\"rating\",\"lower\",\"upper\",\"rank\",\"num_battles\"}}} to this file.")
    Path json;

    @Option(names = "--html", paramLabel = "DIR", description = "Also write DIR/index.html with the notebook's figures as SVG "
            + "(win fraction and battle count heatmaps, ratings with intervals, average win rate).")
    Path html;

    @Option(names = "--all", description = "Count named (side-by-side) battles too.")
    boolean all;

    @Option(names = "--exclude-tie", description = "Leave out ties (both kinds).")
    boolean excludeTie;

    @Option(names = "--language", paramLabel = "L", description = "Only battles whose language is L (e.g. English).")
    String language;

    @Option(names = "--min-battles", paramLabel = "N", defaultValue = "0", description = "Leave out models with fewer than N battles (default: ${DEFAULT-VALUE}).")
    int minBattles;

    @Option(names = "--anchor", paramLabel = "MODEL=RATING", description = "Shift ratings so that MODEL has RATING "
            + "(default: mixtral-8x7b-instruct-v0.1=1114 when present, as FastChat).")
    String anchor;

    @Option(names = "--rounds", defaultValue = "100", description = "Bootstrap rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", defaultValue = "0", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Flags.atLeast(spec, "--rounds", rounds, 1);
        BradleyTerry d = BradleyTerry.fastChatDefaults();
        String anchorModel = d.baselineModel();
        double anchorRating = d.baselineRating();
        if (anchor != null) {
            int eq = anchor.lastIndexOf('=');
            try {
                anchorModel = eq < 0 ? anchor : anchor.substring(0, eq);
                anchorRating = eq < 0 ? d.baselineRating() : Double.parseDouble(anchor.substring(eq + 1));
            } catch (NumberFormatException e) {
                System.err.println("--anchor " + anchor + ": the rating after '=' is not a number; write e.g. --anchor gpt-4-0613=1163");
                return 2;
            }
        }
        CountingQuarantine quarantine = Quarantine.counting();
        BattleReaders.Loaded loaded = BattleReaders.read(inputs, format, 0, quarantine);
        quarantine.records().stream().limit(10).forEach(q -> System.err.println(q.describe()));
        if (quarantine.count() > 10) {
            System.err.println("… " + (quarantine.count() - 10) + " more records quarantined");
        }
        if (loaded.battles().isEmpty()) {
            boolean noFiles = org.chatcorpus.core.io.InputFiles.expand(inputs).isEmpty();
            throw new UserError(ExitCode.NO_DATA, "found no battle votes in " + String.join(" ", inputs)
                    + (noFiles ? " (no log files or battle files there)" : "")
                    + (quarantine.count() > 0 ? " (" + quarantine.count() + " records quarantined)" : ""),
                    "give it FastChat vote logs or a battle file (clean_battle JSON, arena-33k, Kaggle CSV…), or force the format with --format");
        }
        var selection = new BattleSelection(!all, excludeTie, language, minBattles);
        Leaderboard lb = Leaderboard.compute(loaded.battles(), new Leaderboard.Options(selection, rounds, seed, anchorModel, anchorRating));
        System.out.println("read: " + loaded.perFormat() + ", quarantined: " + quarantine.count());
        var c = loaded.fastChatCounts();
        if (c != null) {
            System.out.printf(Locale.ROOT, "fastchat logs: votes: %d, invalid: %d, leaked identity: %d, malformed lines: %d%n",
                    c.votes(), c.invalid(), c.leakedIdentity(), c.malformed());
        }
        var s = lb.selection();
        System.out.printf(Locale.ROOT, "battles used: %d (left out: %d unlabeled, %d named, %d other language, %d ties, %d with models under --min-battles)%n",
                lb.battles(), s.unlabeled(), s.named(), s.otherLanguage(), s.ties(), s.fewBattles());
        print(lb);
        if (json != null) {
            ObjectMapper m = new ObjectMapper();
            Files.writeString(json, m.writerWithDefaultPrettyPrinter().writeValueAsString(lb.toJson(m)));
            System.out.println("wrote " + json);
        }
        if (html != null) {
            LeaderboardHtml.write(lb, html);
            System.out.println("wrote " + html.resolve("index.html"));
        }
        return 0;
    }

    /** Prints the ranking: CI-based rank, Bradley-Terry rating with its interval, the online Elo and the battle count. */
    static void print(Leaderboard lb) {
        System.out.printf(Locale.ROOT, "%-5s %-40s %8s %15s %8s %8s%n", "rank", "model", "rating", "95% CI", "elo", "battles");
        for (var e : lb.bt().entrySet()) {
            var x = e.getValue();
            System.out.printf(Locale.ROOT, "%-5d %-40s %8.1f %15s %8.1f %8d%n", lb.rank().get(e.getKey()),
                    e.getKey() + (lb.preliminary(e.getKey()) ? " (preliminary)" : ""), x.rating(),
                    String.format(Locale.ROOT, "+%.1f/-%.1f", x.upper() - x.rating(), x.rating() - x.lower()),
                    lb.elo().getOrDefault(e.getKey(), Double.NaN), lb.modelBattles().get(e.getKey()));
        }
        if (lb.bt().keySet().stream().anyMatch(lb::preliminary)) {
            System.out.println("(preliminary: fewer than " + Leaderboard.PRELIMINARY_BELOW + " battles; the rating may still move a lot)");
        }
    }
}
