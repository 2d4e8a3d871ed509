package org.chatcorpus.battles.rating;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.battles.Battle;

/**
 * The Chatbot Arena leaderboard over a set of battles, as FastChat's elo_analysis.py: online Elo
 * and Bradley-Terry ratings with bootstrap intervals over the battles a {@link BattleSelection}
 * keeps (by default only anonymous ones: named side-by-side votes are biased by the names), the
 * rank from the intervals (1 + the number of models whose lower bound is above this model's upper
 * bound), each model's battle count, and the notebook's pairwise tables on the battles without ties.
 */
public record Leaderboard(long battles, Map<String, Double> elo, Map<String, BradleyTerry.Rating> bt, Map<String, Integer> rank,
        Map<String, Long> modelBattles, PairwiseTables pairwise, BattleSelection.Result selection) {
    /**
     * Below this many counted battles a model's rating is marked preliminary: with a handful of
     * votes Bradley-Terry ratings run to extremes (one battle gives about ±1000) and the bootstrap
     * interval, drawn from the same few votes, cannot show how unsure they are.
     */
    public static final long PRELIMINARY_BELOW = 30;

    /** Whether this model has too few battles for its rating to mean much yet. */
    public boolean preliminary(String model) {
        return modelBattles.getOrDefault(model, 0L) < PRELIMINARY_BELOW;
    }

    /** Battles counted per model (the Arena's leaderboard page and {@code --json}'s "votes"). */
    public Map<String, Long> votes() {
        return modelBattles;
    }

    /** How to rank: which battles, how many bootstrap rounds with which seed, which model anchors the scale at which rating. */
    public record Options(BattleSelection selection, int rounds, long seed, String anchorModel, double anchorRating) {
        public static Options fastChatDefaults(int rounds, long seed) {
            BradleyTerry d = BradleyTerry.fastChatDefaults();
            return new Options(BattleSelection.fastChatDefaults(), rounds, seed, d.baselineModel(), d.baselineRating());
        }
    }

    /** FastChat's defaults; {@code anonymousOnly} false counts named battles too. */
    public static Leaderboard compute(List<Battle> all, boolean anonymousOnly, int bootstrapRounds, long seed) {
        Options d = Options.fastChatDefaults(bootstrapRounds, seed);
        return compute(all, new Options(new BattleSelection(anonymousOnly, false, null, 0), bootstrapRounds, seed,
                d.anchorModel(), d.anchorRating()));
    }

    public static Leaderboard compute(List<Battle> all, Options options) {
        BattleSelection.Result selected = options.selection().apply(all);
        List<Battle> used = selected.battles();
        Map<String, Double> elo = sortedDescending(OnlineElo.fastChatDefaults().ratings(used));
        BradleyTerry model = new BradleyTerry(10, 400, 1000, options.anchorModel(), options.anchorRating());
        Map<String, BradleyTerry.Rating> bt = new LinkedHashMap<>();
        model.ratingsWithIntervals(used, options.rounds(), options.seed()).entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, BradleyTerry.Rating> e) -> -e.getValue().rating())
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> bt.put(e.getKey(), e.getValue()));
        Map<String, Integer> rank = new LinkedHashMap<>();
        for (Map.Entry<String, BradleyTerry.Rating> e : bt.entrySet()) {
            int r = 1;
            for (Map.Entry<String, BradleyTerry.Rating> other : bt.entrySet()) {
                if (!other.getKey().equals(e.getKey()) && other.getValue().lower() > e.getValue().upper()) {
                    r++;
                }
            }
            rank.put(e.getKey(), r);
        }
        Map<String, Long> counts = new HashMap<>();
        for (Battle b : used) {
            counts.merge(b.modelA(), 1L, Long::sum);
            counts.merge(b.modelB(), 1L, Long::sum);
        }
        Map<String, Long> modelBattles = new LinkedHashMap<>();
        bt.keySet().forEach(m -> modelBattles.put(m, counts.getOrDefault(m, 0L)));
        PairwiseTables pairwise = PairwiseTables.of(used, List.copyOf(bt.keySet()));
        return new Leaderboard(used.size(), elo, bt, rank, modelBattles, pairwise, selected);
    }

    /**
     * The {@code leaderboard --json} document: {"battles", "elo": {m: r}, "bt": {m: {"rating","lower","upper"}}},
     * with each bt entry also carrying its "rank" and "num_battles", and "votes": {m: battles counted for m}.
     */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("battles", battles);
        ObjectNode e = root.putObject("elo");
        elo.forEach(e::put);
        ObjectNode b = root.putObject("bt");
        bt.forEach((model, r) -> {
            ObjectNode o = b.putObject(model);
            o.put("rating", r.rating());
            o.put("lower", r.lower());
            o.put("upper", r.upper());
            o.put("rank", rank.get(model));
            o.put("num_battles", modelBattles.get(model));
        });
        ObjectNode v = root.putObject("votes");
        modelBattles.forEach(v::put);
        return root;
    }

    private static Map<String, Double> sortedDescending(Map<String, Double> ratings) {
        Map<String, Double> out = new LinkedHashMap<>();
        ratings.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, Double> x) -> -x.getValue()).thenComparing(Map.Entry::getKey))
                .forEach(x -> out.put(x.getKey(), x.getValue()));
        return out;
    }
}
