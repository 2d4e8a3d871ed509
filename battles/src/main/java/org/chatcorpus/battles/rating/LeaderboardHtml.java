package org.chatcorpus.battles.rating;

import static org.chatcorpus.core.web.Html.escape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code leaderboard --html DIR}: {@code index.html} (the table and the four figures inline, no
 * script, nothing fetched) and each figure as its own file under {@code figures/}.
 */
public final class LeaderboardHtml {
    private LeaderboardHtml() {
    }

    public static void write(Leaderboard lb, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("figures"));
        Map<String, String> figures = new java.util.LinkedHashMap<>();
        figures.put("win_fraction_heatmap", LeaderboardFigures.winFractionHeatmap(lb.pairwise()));
        figures.put("battle_count_heatmap", LeaderboardFigures.battleCountHeatmap(lb.pairwise()));
        figures.put("bootstrap_elo_rating", LeaderboardFigures.ratingIntervals(lb.bt()));
        figures.put("average_win_rate_bar", LeaderboardFigures.averageWinRate(lb.pairwise()));
        for (Map.Entry<String, String> f : figures.entrySet()) {
            Files.writeString(dir.resolve("figures").resolve(f.getKey() + ".svg"), f.getValue(), StandardCharsets.UTF_8);
        }
        StringBuilder rows = new StringBuilder();
        for (Map.Entry<String, BradleyTerry.Rating> e : lb.bt().entrySet()) {
            BradleyTerry.Rating r = e.getValue();
            rows.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%.1f</td><td>+%.1f / -%.1f</td><td>%.1f</td><td>%d</td></tr>%n",
                    lb.rank().get(e.getKey()), escape(e.getKey()), r.rating(), r.upper() - r.rating(), r.rating() - r.lower(),
                    lb.elo().getOrDefault(e.getKey(), Double.NaN), lb.modelBattles().get(e.getKey())));
        }
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Leaderboard</title>"
                + "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}"
                + "td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}td:nth-child(2),th:nth-child(2){text-align:left}"
                + "figure{margin:2em 0}</style></head><body>\n"
                + "<h1>Leaderboard</h1>\n<p>" + lb.battles() + " battles; Bradley-Terry ratings with 95% bootstrap intervals and online Elo"
                + " (K = 4), as FastChat's elo_analysis.py. Rank: 1 + the number of models whose lower bound is above this model's upper bound.</p>\n"
                + "<table id=\"leaderboard\"><thead><tr><th>Rank</th><th>Model</th><th>Rating</th><th>95% CI</th><th>Online Elo</th>"
                + "<th>Battles</th></tr></thead><tbody>\n" + rows + "</tbody></table>\n"
                + figure("Fraction of model A wins for all non-tied A vs. B battles", figures.get("win_fraction_heatmap"))
                + figure("Battle count for each combination of models (without ties)", figures.get("battle_count_heatmap"))
                + figure("Bootstrap of Bradley-Terry rating estimates", figures.get("bootstrap_elo_rating"))
                + figure("Average win rate against all other models (assuming uniform sampling and no ties)", figures.get("average_win_rate_bar"))
                + "</body></html>\n";
        Files.writeString(dir.resolve("index.html"), html, StandardCharsets.UTF_8);
    }

    private static String figure(String caption, String svg) {
        return "<figure>" + svg + "<figcaption>" + escape(caption) + "</figcaption></figure>\n";
    }
}
