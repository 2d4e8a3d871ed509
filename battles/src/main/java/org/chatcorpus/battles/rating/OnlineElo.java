package org.chatcorpus.battles.rating;

import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.Winner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Online Elo over battles in their given order, as FastChat's elo_analysis.py compute_elo:
 * every model starts at {@code init}; after each battle both ratings move by
 * {@code k * (score - expected)}, with {@code expected = 1 / (1 + base^((rb - ra) / scale))} and a
 * tie (of either kind) scoring 0.5. Order matters by design: this is the "online" rating.
 */
public record OnlineElo(double k, double base, double scale, double init) {

    /** FastChat's defaults: K = 4, base 10, scale 400, initial rating 1000. */
    public static OnlineElo fastChatDefaults() {
        return new OnlineElo(4, 10, 400, 1000);
    }

    /** Ratings by model, in order of each model's first appearance. */
    public Map<String, Double> ratings(List<Battle> battles) {
        Map<String, Double> rating = new LinkedHashMap<>();
        for (Battle b : battles) {
            double ra = rating.getOrDefault(b.modelA(), init);
            double rb = rating.getOrDefault(b.modelB(), init);
            double ea = 1 / (1 + Math.pow(base, (rb - ra) / scale));
            double eb = 1 / (1 + Math.pow(base, (ra - rb) / scale));
            double sa = b.winner().scoreA();
            rating.put(b.modelA(), ra + k * (sa - ea));
            // Read model B's rating again: a model battling itself must see its own update, as the
            // Python dict does.
            rating.put(b.modelB(), rating.getOrDefault(b.modelB(), init) + k * (1 - sa - eb));
        }
        return rating;
    }
}
