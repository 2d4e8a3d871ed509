package org.chatcorpus.battles.rating;

import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.io.BattleLogCleaner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.Test;

class LeaderboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onlineEloFirstBattleMovesEachSideByHalfOfK() {
        Map<String, Double> r = OnlineElo.fastChatDefaults().ratings(List.of(Battle.of("a", "b", Winner.MODEL_A)));
        assertThat(r.get("a")).isEqualTo(1002.0);
        assertThat(r.get("b")).isEqualTo(998.0);
    }

    @Test
    void onlineEloTieBetweenEqualModelsChangesNothing() {
        Map<String, Double> r = OnlineElo.fastChatDefaults().ratings(List.of(
                Battle.of("a", "b", Winner.TIE), Battle.of("b", "a", Winner.TIE_BOTHBAD)));
        assertThat(r.get("a")).isEqualTo(1000.0);
        assertThat(r.get("b")).isEqualTo(1000.0);
    }

    @Test
    void onlineEloIsZeroSumAndOrderDependent() {
        List<Battle> battles = seededBattles(promptsFromMtBench(), 2000, 7).battles();
        Map<String, Double> r = OnlineElo.fastChatDefaults().ratings(battles);
        double sum = r.values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(sum).isCloseTo(1000.0 * r.size(), within(1e-6));
        List<Battle> reversed = new ArrayList<>(battles);
        java.util.Collections.reverse(reversed);
        assertThat(OnlineElo.fastChatDefaults().ratings(reversed)).isNotEqualTo(r);
    }

    @Test
    void bradleyTerryMatchesAnIndependentMinorizationMaximizationFit() {
        Synthetic s = seededBattles(promptsFromMtBench(), 5000, 11);
        Map<String, Double> newton = BradleyTerry.fastChatDefaults().ratings(s.battles());
        Map<String, Double> mm = hunterMm(s.battles());
        assertThat(newton.keySet()).containsExactlyInAnyOrderElementsOf(mm.keySet());
        mm.forEach((model, rating) -> assertThat(newton.get(model)).as(model).isCloseTo(rating, within(1e-3)));
    }

    @Test
    void bradleyTerryRecoversTheTrueOrderOfStrengths() {
        Synthetic s = seededBattles(promptsFromMtBench(), 20000, 3);
        Map<String, Double> bt = BradleyTerry.fastChatDefaults().ratings(s.battles());
        List<String> byRating = bt.keySet().stream().sorted((x, y) -> Double.compare(bt.get(y), bt.get(x))).toList();
        List<String> byTruth = s.strength().keySet().stream()
                .sorted((x, y) -> Double.compare(s.strength().get(y), s.strength().get(x))).toList();
        assertThat(byRating).isEqualTo(byTruth);
        // Ratings are centred: mean 1000 on the Elo scale when no baseline model is present.
        assertThat(bt.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow()).isCloseTo(1000, within(1e-6));
    }

    @Test
    void bradleyTerryAnchorsTheBaselineModelAt1114() {
        List<Battle> battles = List.of(
                Battle.of("mixtral-8x7b-instruct-v0.1", "x", Winner.MODEL_A),
                Battle.of("mixtral-8x7b-instruct-v0.1", "x", Winner.MODEL_B),
                Battle.of("x", "mixtral-8x7b-instruct-v0.1", Winner.MODEL_A),
                Battle.of("x", "mixtral-8x7b-instruct-v0.1", Winner.TIE));
        Map<String, Double> bt = BradleyTerry.fastChatDefaults().ratings(battles);
        assertThat(bt.get("mixtral-8x7b-instruct-v0.1")).isCloseTo(1114, within(1e-9));
        // x scored 2.5 of 4: the MLE gives odds 2.5/1.5, i.e. 400*log10(5/3) above the baseline.
        assertThat(bt.get("x")).isCloseTo(1114 + 400 * Math.log10(2.5 / 1.5), within(1e-6));
    }

    @Test
    void bootstrapIntervalsAreSeededAndContainTheRating() {
        List<Battle> battles = seededBattles(promptsFromMtBench(), 3000, 5).battles();
        Map<String, BradleyTerry.Rating> a = BradleyTerry.fastChatDefaults().ratingsWithIntervals(battles, 50, 42);
        Map<String, BradleyTerry.Rating> b = BradleyTerry.fastChatDefaults().ratingsWithIntervals(battles, 50, 42);
        assertThat(a).isEqualTo(b);
        a.forEach((model, r) -> {
            assertThat(r.lower()).as(model).isLessThan(r.upper());
            assertThat(r.rating()).as(model).isBetween(r.lower() - 5, r.upper() + 5);
        });
    }

    @Test
    void bootstrapIntervalWidthsMatchThePerBattleResamplingTheyReplace() {
        // Before the multinomial draw, rounds resampled the 3000 battles one by one; with 1000
        // rounds and seeds 42..46 that gave a mean 95% width over the six models of 33.06 to 33.76
        // Elo points (mean 33.30, sd 0.27 across seeds). Same distribution, so the same width up to
        // Monte Carlo noise: 1.5 points is about 5 standard deviations of the difference of two
        // such runs, while a sampler with the variance off by a factor 1.2 would move it by ~3.
        List<Battle> battles = seededBattles(promptsFromMtBench(), 3000, 5).battles();
        Map<String, BradleyTerry.Rating> r = BradleyTerry.fastChatDefaults().ratingsWithIntervals(battles, 1000, 42);
        double meanWidth = r.values().stream().mapToDouble(x -> x.upper() - x.lower()).average().orElseThrow();
        assertThat(meanWidth).isCloseTo(33.30, within(1.5));
        r.forEach((model, x) -> assertThat(x.rating()).as(model).isStrictlyBetween(x.lower(), x.upper()));
    }

    @Test
    void bootstrapIntervalsDoNotDependOnTheNumberOfThreads() throws Exception {
        List<Battle> battles = seededBattles(promptsFromMtBench(), 3000, 5).battles();
        Map<String, BradleyTerry.Rating> commonPool = BradleyTerry.fastChatDefaults().ratingsWithIntervals(battles, 40, 7);
        ForkJoinPool oneThread = new ForkJoinPool(1);
        try {
            // A parallel stream started inside a pool's task runs its rounds on that pool.
            Map<String, BradleyTerry.Rating> sequential = oneThread
                    .submit(() -> BradleyTerry.fastChatDefaults().ratingsWithIntervals(battles, 40, 7)).get();
            assertThat(sequential).isEqualTo(commonPool);
        } finally {
            oneThread.shutdown();
        }
    }

    @Test
    void warmStartedBootstrapGivesTheIntervalsOfColdStartedRefitsOnTheSameDraws() {
        List<Battle> battles = seededBattles(promptsFromMtBench(), 3000, 5).battles();
        BradleyTerry bt = BradleyTerry.fastChatDefaults();
        Map<String, BradleyTerry.Rating> warm = bt.ratingsWithIntervals(battles, 200, 42, true);
        Map<String, BradleyTerry.Rating> cold = bt.ratingsWithIntervals(battles, 200, 42, false);
        assertThat(warm.keySet()).containsExactlyElementsOf(cold.keySet());
        cold.forEach((model, c) -> {
            BradleyTerry.Rating w = warm.get(model);
            assertThat(w.rating()).as(model).isEqualTo(c.rating());
            assertThat(w.lower()).as(model).isCloseTo(c.lower(), within(1e-6));
            assertThat(w.upper()).as(model).isCloseTo(c.upper(), within(1e-6));
        });
    }

    @Test
    void refitOnAResampleTakesFewerNewtonStepsFromTheFullDataSolutionThanFromZeros() {
        List<Battle> battles = seededBattles(promptsFromMtBench(), 3000, 5).battles();
        BradleyTerry bt = BradleyTerry.fastChatDefaults();
        BradleyTerry.Matchups m = BradleyTerry.Matchups.of(battles);
        double[] weight = resampledWeights(m, battles.size(), 13);
        BradleyTerry.Fit full = bt.fit(m, m.weight());
        BradleyTerry.Fit cold = bt.fit(m, weight);
        BradleyTerry.Fit warm = bt.fit(m, weight, full.ratings());
        assertThat(warm.iterations()).isPositive().isLessThan(cold.iterations());
        assertThat(warm.ratings()).containsExactly(cold.ratings(), within(1e-9));
    }

    @Test
    void fitFromAnUncentredStartReachesTheCentredMle() {
        List<Battle> battles = seededBattles(promptsFromMtBench(), 3000, 5).battles();
        BradleyTerry bt = BradleyTerry.fastChatDefaults();
        BradleyTerry.Matchups m = BradleyTerry.Matchups.of(battles);
        double[] weight = resampledWeights(m, battles.size(), 17);
        double[] shifted = bt.fit(m, m.weight()).ratings().clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 3; // the loss cannot tell this shift apart; only the centring removes it
        }
        double[] fromShifted = bt.fit(m, weight, shifted).ratings();
        assertThat(fromShifted).containsExactly(bt.fit(m, weight).ratings(), within(1e-9));
        assertThat(java.util.Arrays.stream(fromShifted).sum()).isCloseTo(0, within(1e-12));
    }

    /** Matchup weights of one bootstrap round: multinomial counts over n battles, divided by n. */
    private static double[] resampledWeights(BradleyTerry.Matchups m, int n, long seed) {
        int[] counts = new MultinomialSampler(m.weight()).sample(new SplittableRandom(seed), n);
        double[] weight = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            weight[c] = (double) counts[c] / n;
        }
        return weight;
    }

    @Test
    void quantileInterpolatesLinearlyAsPandas() {
        double[] sorted = {1, 2, 3, 4};
        assertThat(BradleyTerry.quantile(sorted, 0.5)).isEqualTo(2.5);
        assertThat(BradleyTerry.quantile(sorted, 0.025)).isCloseTo(1.075, within(1e-12));
    }

    @Test
    void leaderboardJsonHasTheContractKeysAndCountsOnlyAnonymousBattles() {
        List<Battle> battles = new ArrayList<>(seededBattles(promptsFromMtBench(), 500, 9).battles());
        battles.add(new Battle("q", "named-a", "named-b", Winner.MODEL_A, "j", List.of(), List.of(), 1, false, "", 0, Map.of()));
        Leaderboard lb = Leaderboard.compute(battles, true, 20, 1);
        JsonNode json = lb.toJson(JSON);
        assertThat(json.get("battles").asLong()).isEqualTo(500);
        assertThat(json.get("elo").has("named-a")).isFalse();
        JsonNode first = json.get("bt").elements().next();
        assertThat(first.has("rating") && first.has("lower") && first.has("upper")).isTrue();
    }

    @Test
    void cleanerReproducesFastChatBattleRules(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path log = dir.resolve("2024-01-01-conv.json");
        List<String> prompts = promptsFromMtBench();
        List<String> lines = new ArrayList<>();
        lines.add(vote("leftvote", "", "", "vicuna-13b", "koala-13b", prompts.get(0), "Sure, here it is.", 100));
        lines.add(vote("rightvote", "Model A", "Model B", "gpt-4", "alpaca-13b", prompts.get(1), "An answer.", 1687849300));
        lines.add(vote("tievote", "chatglm-6b", "llama-13b", "chatglm-6b", "llama-13b", prompts.get(2), "Fine.", 50));
        lines.add(vote("bothbad_vote", "", "", "bard", "dolly-v2-12b", prompts.get(3), "I am Vicuna, made by LMSYS.", 60));
        lines.add(vote("leftvote", "chatglm-6b", "", "chatglm-6b", "llama-13b", prompts.get(4), "x", 70));
        lines.add(vote("leftvote", "chatglm-6b", "llama-13b", "koala-13b", "llama-13b", prompts.get(5), "x", 80));
        lines.add("{\"type\": \"chat\", \"tstamp\": 1, \"model\": \"vicuna-13b\"}");
        lines.add("{not json");
        Files.write(log, lines);
        var quarantine = org.chatcorpus.core.io.Quarantine.counting();
        BattleLogCleaner.Result r = BattleLogCleaner.withoutLanguage().clean(List.of(log), quarantine);
        assertThat(r.counts().votes()).isEqualTo(6);
        assertThat(r.counts().leakedIdentity()).isEqualTo(1);
        assertThat(r.counts().invalid()).isEqualTo(2); // one side hidden; public != hidden names
        assertThat(r.counts().malformed()).isEqualTo(1);
        assertThat(quarantine.records().get(0).location()).isEqualTo("line 8");
        assertThat(r.battles()).extracting(Battle::modelA).containsExactly("chatglm-6b", "vicuna-13b", "gpt-4-0613");
        Battle tie = r.battles().get(0);
        assertThat(tie.anony()).isFalse();
        assertThat(tie.winner()).isEqualTo(Winner.TIE);
        Battle anony = r.battles().get(1);
        assertThat(anony.anony()).isTrue();
        assertThat(anony.conversationA()).hasSize(2);
        assertThat(anony.conversationA().get(0).role()).isEqualTo("user");
        assertThat(anony.judge()).startsWith("arena_user_");
        assertThat(r.battles().get(2).winner()).isEqualTo(Winner.MODEL_B);
    }

    // ---- helpers ----

    private static String vote(String type, String publicA, String publicB, String hiddenA, String hiddenB,
            String prompt, String answer, double tstamp) throws IOException {
        var row = JSON.createObjectNode();
        row.put("tstamp", tstamp);
        row.put("type", type);
        row.putArray("models").add(publicA).add(publicB);
        var states = row.putArray("states");
        for (String hidden : List.of(hiddenA, hiddenB)) {
            var s = states.addObject();
            s.put("conv_id", "c" + (long) tstamp);
            s.put("offset", 0);
            s.put("model_name", hidden);
            var msgs = s.putArray("messages");
            msgs.addArray().add("USER").add(prompt);
            msgs.addArray().add("ASSISTANT").add(answer);
        }
        row.put("ip", "10.0.0." + ((long) tstamp % 7));
        return JSON.writeValueAsString(row);
    }

    record Synthetic(List<Battle> battles, Map<String, Double> strength) {
    }

    /**
     * Battles over real prompts with a seeded vote process: each model has a true Elo-scale
     * strength, the winner is drawn from the Bradley-Terry probability, and 20% of votes are ties.
     */
    static Synthetic seededBattles(List<String> prompts, int n, long seed) {
        String[] models = {"vicuna-13b", "koala-13b", "alpaca-13b", "chatglm-6b", "llama-13b", "dolly-v2-12b"};
        double[] truth = {1150, 1080, 1010, 990, 930, 870};
        Map<String, Double> strength = new HashMap<>();
        for (int i = 0; i < models.length; i++) {
            strength.put(models[i], truth[i]);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Battle> battles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int a = rnd.nextInt(models.length);
            int b = rnd.nextInt(models.length - 1);
            if (b >= a) {
                b++;
            }
            double pa = 1 / (1 + Math.pow(10, (truth[b] - truth[a]) / 400));
            Winner w = rnd.nextDouble() < 0.2 ? Winner.TIE : rnd.nextDouble() < pa ? Winner.MODEL_A : Winner.MODEL_B;
            String prompt = prompts.get(i % prompts.size());
            battles.add(new Battle("q" + i, models[a], models[b], w, "arena_user_" + (i % 50),
                    List.of(BattleMessage.user(prompt)), List.of(BattleMessage.user(prompt)),
                    1, true, "English", i, Map.of()));
        }
        return new Synthetic(battles, strength);
    }

    static List<String> promptsFromMtBench() {
        try {
            List<String> prompts = new ArrayList<>();
            for (String line : Files.readAllLines(SharedData.file("mt-bench-questions.jsonl"))) {
                prompts.add(JSON.readTree(line).get("turns").get(0).asText());
            }
            return prompts;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Hunter's (2004) minorization-maximization for Bradley-Terry, with a tie counted as half a win
     * for each side: gamma_i <- W_i / sum_j n_ij / (gamma_i + gamma_j). A different algorithm from
     * the Newton solver under test; converted to the Elo scale as r = 400 * log10(gamma) centred.
     */
    static Map<String, Double> hunterMm(List<Battle> battles) {
        Map<String, Integer> idx = new java.util.LinkedHashMap<>();
        for (Battle b : battles) {
            idx.putIfAbsent(b.modelA(), idx.size());
            idx.putIfAbsent(b.modelB(), idx.size());
        }
        int k = idx.size();
        double[][] games = new double[k][k];
        double[] wins = new double[k];
        for (Battle b : battles) {
            int i = idx.get(b.modelA());
            int j = idx.get(b.modelB());
            games[i][j]++;
            games[j][i]++;
            wins[i] += b.winner().scoreA();
            wins[j] += 1 - b.winner().scoreA();
        }
        double[] gamma = new double[k];
        java.util.Arrays.fill(gamma, 1);
        for (int iter = 0; iter < 20000; iter++) {
            double[] next = new double[k];
            for (int i = 0; i < k; i++) {
                double denom = 0;
                for (int j = 0; j < k; j++) {
                    if (j != i && games[i][j] > 0) {
                        denom += games[i][j] / (gamma[i] + gamma[j]);
                    }
                }
                next[i] = wins[i] / denom;
            }
            double logMean = 0;
            for (double g : next) {
                logMean += Math.log(g) / k;
            }
            for (int i = 0; i < k; i++) {
                next[i] /= Math.exp(logMean);
            }
            gamma = next;
        }
        Map<String, Double> out = new HashMap<>();
        double[] fitted = gamma;
        idx.forEach((m, i) -> out.put(m, 400 * Math.log10(fitted[i]) + 1000));
        return out;
    }
}
