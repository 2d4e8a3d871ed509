package org.chatcorpus.server.leaderboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Chatbot Arena leaderboard over a set of battles: online Elo and Bradley-Terry ratings with
 * bootstrap intervals. By default only anonymous battles count, as FastChat's leaderboard does
 * (named side-by-side votes are biased by the names).
 */
public record Leaderboard(long battles, Map<String, Double> elo, Map<String, BradleyTerry.Rating> bt, Map<String, Long> votes) {
    /**
     * Below this many counted battles a model's rating is marked preliminary: with a handful of
     * votes Bradley-Terry ratings run to extremes (one battle gives about ±1000) and the bootstrap
     * interval, drawn from the same few votes, cannot show how unsure they are.
     */
    public static final long PRELIMINARY_BELOW = 30;

    /** Whether this model has too few battles for its rating to mean much yet. */
    public boolean preliminary(String model) {
        return votes.getOrDefault(model, 0L) < PRELIMINARY_BELOW;
    }

    public static Leaderboard compute(List<Battle> all, boolean anonymousOnly, int bootstrapRounds, long seed) {
        List<Battle> used = anonymousOnly ? all.stream().filter(Battle::anony).toList() : all;
        Map<String, Double> elo = sortedDescending(OnlineElo.fastChatDefaults().ratings(used));
        Map<String, BradleyTerry.Rating> bt = new LinkedHashMap<>();
        BradleyTerry.fastChatDefaults().ratingsWithIntervals(used, bootstrapRounds, seed).entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, BradleyTerry.Rating> e) -> -e.getValue().rating())
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> bt.put(e.getKey(), e.getValue()));
        Map<String, Long> votes = new java.util.TreeMap<>();
        for (Battle b : used) {
            votes.merge(b.modelA(), 1L, Long::sum);
            votes.merge(b.modelB(), 1L, Long::sum);
        }
        return new Leaderboard(used.size(), elo, bt, votes);
    }

    /**
     * The {@code leaderboard --json} document: {"battles", "elo": {m: r}, "bt": {m: {"rating","lower","upper"}},
     * "votes": {m: battles counted for m}}.
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
        });
        ObjectNode v = root.putObject("votes");
        votes.forEach(v::put);
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
