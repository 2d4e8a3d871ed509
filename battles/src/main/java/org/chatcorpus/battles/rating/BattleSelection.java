package org.chatcorpus.battles.rating;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.battles.Battle;

/**
 * Which battles a leaderboard counts, as FastChat's elo_analysis.py report_elo_analysis_results
 * chooses them: sorted by tstamp (stably here, so battles without a time keep their file order, at
 * the end), only the given language, only anonymous battles unless all are asked for, without ties
 * when asked; unlabeled battles never count. {@code minBattles} then drops models with fewer battles
 * (and their battles), once, as the notebook's filter does.
 */
public record BattleSelection(boolean anonymousOnly, boolean excludeTie, String language, int minBattles) {

    public static BattleSelection fastChatDefaults() {
        return new BattleSelection(true, false, null, 0);
    }

    /** What was kept, and how many were dropped for each reason. */
    public record Result(List<Battle> battles, long unlabeled, long named, long otherLanguage, long ties, long fewBattles) {
    }

    public Result apply(List<Battle> all) {
        List<Battle> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingDouble(Battle::tstamp)); // List.sort is stable; NaN sorts last
        List<Battle> kept = new ArrayList<>(sorted.size());
        long unlabeled = 0;
        long named = 0;
        long otherLanguage = 0;
        long ties = 0;
        for (Battle b : sorted) {
            if (!b.labeled()) {
                unlabeled++;
            } else if (language != null && !language.equals(b.language())) {
                otherLanguage++;
            } else if (anonymousOnly && !b.anony()) {
                named++;
            } else if (excludeTie && b.winner().isTie()) {
                ties++;
            } else {
                kept.add(b);
            }
        }
        long few = 0;
        if (minBattles > 0) {
            Map<String, Integer> count = new HashMap<>();
            for (Battle b : kept) {
                count.merge(b.modelA(), 1, Integer::sum);
                count.merge(b.modelB(), 1, Integer::sum);
            }
            List<Battle> enough = new ArrayList<>(kept.size());
            for (Battle b : kept) {
                if (count.get(b.modelA()) >= minBattles && count.get(b.modelB()) >= minBattles) {
                    enough.add(b);
                }
            }
            few = kept.size() - enough.size();
            kept = enough;
        }
        return new Result(List.copyOf(kept), unlabeled, named, otherLanguage, ties, few);
    }
}
