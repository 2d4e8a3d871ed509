package org.chatcorpus.battles.rating;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.Winner;

/**
 * The notebook's pairwise figures over battles without ties, as elo_analysis.py's
 * compute_pairwise_win_fraction and visualize_battle_count: for models in a given order,
 * {@code winFraction[i][j]} is the share of i's battles against j that i won, as A or as B (NaN
 * when they never met), {@code count[i][j]} the battles between them, and {@code averageWinRate[i]}
 * the mean of row i over the models i met (pandas' mean skips NaN).
 */
public record PairwiseTables(List<String> models, double[][] winFraction, long[][] count, double[] averageWinRate) {

    public static PairwiseTables of(List<Battle> battles, List<String> models) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < models.size(); i++) {
            index.put(models.get(i), i);
        }
        int k = models.size();
        long[][] wins = new long[k][k];
        long[][] count = new long[k][k];
        for (Battle b : battles) {
            if (b.winner() == null || b.winner().isTie()) {
                continue;
            }
            Integer a = index.get(b.modelA());
            Integer c = index.get(b.modelB());
            if (a == null || c == null) {
                continue;
            }
            count[a][c]++;
            if (a.intValue() != c.intValue()) {
                count[c][a]++;
            }
            if (b.winner() == Winner.MODEL_A) {
                wins[a][c]++;
            } else {
                wins[c][a]++;
            }
        }
        double[][] fraction = new double[k][k];
        double[] average = new double[k];
        for (int i = 0; i < k; i++) {
            double sum = 0;
            int met = 0;
            for (int j = 0; j < k; j++) {
                fraction[i][j] = count[i][j] == 0 ? Double.NaN : (double) wins[i][j] / count[i][j];
                if (!Double.isNaN(fraction[i][j])) {
                    sum += fraction[i][j];
                    met++;
                }
            }
            average[i] = met == 0 ? Double.NaN : sum / met;
        }
        return new PairwiseTables(List.copyOf(models), fraction, count, average);
    }
}
