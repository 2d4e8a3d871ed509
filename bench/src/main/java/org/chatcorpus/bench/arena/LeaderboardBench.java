package org.chatcorpus.bench.arena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.rating.BradleyTerry;
import org.chatcorpus.battles.rating.OnlineElo;
import org.chatcorpus.battles.Winner;

/**
 * Leaderboard over N synthetic battles (default 1M, 25 models, seeded BT vote process): times
 * online Elo, the Bradley-Terry fit and a 100-round bootstrap, and runs the same BT fit + bootstrap
 * in a NumPy/SciPy peer (bench/peers/arena/bt_peer.py, L-BFGS as FastChat uses) on the same battles,
 * printing the ratio and the largest rating difference between the two. Both sides report the
 * best of three bootstraps, since the machine's cores are shared with other runs.
 *
 * <p>Usage: LeaderboardBench [battles] [rounds]
 */
public final class LeaderboardBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int models = 25;
        SplittableRandom rnd = new SplittableRandom(42);
        double[] truth = new double[models];
        for (int i = 0; i < models; i++) {
            truth[i] = 800 + 20 * i + rnd.nextDouble() * 10;
        }
        List<Battle> battles = new ArrayList<>(n);
        Path csv = Files.createTempFile("battles", ".csv");
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            for (int i = 0; i < n; i++) {
                int a = rnd.nextInt(models);
                int b = rnd.nextInt(models - 1);
                if (b >= a) {
                    b++;
                }
                double pa = 1 / (1 + Math.pow(10, (truth[b] - truth[a]) / 400));
                Winner w = rnd.nextDouble() < 0.25 ? Winner.TIE : rnd.nextDouble() < pa ? Winner.MODEL_A : Winner.MODEL_B;
                battles.add(Battle.of("model-" + a, "model-" + b, w));
                out.write("model-" + a + ",model-" + b + "," + w.scoreA() + "\n");
            }
        }
        long t0 = System.nanoTime();
        OnlineElo.fastChatDefaults().ratings(battles);
        long t1 = System.nanoTime();
        Map<String, Double> bt = BradleyTerry.fastChatDefaults().ratings(battles);
        long t2 = System.nanoTime();
        double elo = (t1 - t0) / 1e9;
        double fit = (t2 - t1) / 1e9;
        // ratingsWithIntervals also aggregates and fits the full data once. Subtracting the cold
        // first fit above went negative once the bootstrap took tens of milliseconds, so: the best
        // of three warm runs with zero rounds from the best of three with all rounds (best, as the
        // cores are shared with other runs).
        long withoutRounds = Long.MAX_VALUE;
        long withRounds = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long s0 = System.nanoTime();
            BradleyTerry.fastChatDefaults().ratingsWithIntervals(battles, 0, 0);
            long s1 = System.nanoTime();
            BradleyTerry.fastChatDefaults().ratingsWithIntervals(battles, rounds, 0);
            long s2 = System.nanoTime();
            withoutRounds = Math.min(withoutRounds, s1 - s0);
            withRounds = Math.min(withRounds, s2 - s1);
        }
        double boot = (withRounds - withoutRounds) / 1e9;
        System.out.printf(Locale.ROOT, "chatcorpus: %,d battles, online Elo %.2fs, BT fit %.2fs, bootstrap %d rounds %.3fs%n",
                n, elo, fit, rounds, boot);

        Process p = new ProcessBuilder("python3", Path.of("bench/peers/arena/bt_peer.py").toString(), csv.toString(),
                Integer.toString(rounds)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            System.out.println("peer (python3 + numpy + scipy) failed; no ratio");
            return;
        }
        JsonNode peer = new ObjectMapper().readTree(out);
        double peerFit = peer.get("seconds_fit").asDouble();
        double peerBoot = peer.get("seconds_bootstrap").asDouble();
        double maxDiff = 0;
        for (var e : bt.entrySet()) {
            maxDiff = Math.max(maxDiff, Math.abs(e.getValue() - peer.get("ratings").get(e.getKey()).asDouble()));
        }
        System.out.printf(Locale.ROOT, "peer numpy/scipy L-BFGS: BT fit %.2fs, bootstrap %.3fs%n", peerFit, peerBoot);
        System.out.printf(Locale.ROOT, "ratio (peer time / chatcorpus time): fit %.1fx, bootstrap %.1fx; max rating difference %.4f%n",
                peerFit / fit, peerBoot / boot, maxDiff);
        Files.delete(csv);
    }
}
