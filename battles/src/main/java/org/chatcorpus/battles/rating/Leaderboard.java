package org.chatcorpus.battles.rating;

import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.Winner;
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
public record Leaderboard(long battles, Map<String, Double> elo, Map<String, BradleyTerry.Rating> bt) {

    public static Leaderboard compute(List<Battle> all, boolean anonymousOnly, int bootstrapRounds, long seed) {
        List<Battle> used = anonymousOnly ? all.stream().filter(Battle::anony).toList() : all;
        Map<String, Double> elo = sortedDescending(OnlineElo.fastChatDefaults().ratings(used));
        Map<String, BradleyTerry.Rating> bt = new LinkedHashMap<>();
        BradleyTerry.fastChatDefaults().ratingsWithIntervals(used, bootstrapRounds, seed).entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, BradleyTerry.Rating> e) -> -e.getValue().rating())
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> bt.put(e.getKey(), e.getValue()));
        return new Leaderboard(used.size(), elo, bt);
    }

    /** The {@code leaderboard --json} document: {"battles", "elo": {m: r}, "bt": {m: {"rating","lower","upper"}}}. */
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
