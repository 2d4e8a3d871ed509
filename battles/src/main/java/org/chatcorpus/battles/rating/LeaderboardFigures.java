package org.chatcorpus.battles.rating;

import static org.chatcorpus.core.web.Html.escape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The leaderboard notebook's four figures as self-contained SVG (no script, no fonts to fetch):
 * the win-fraction heatmap (red below 0.5, blue above, as plotly's RdBu), the battle-count heatmap,
 * the ratings with their 95% intervals, and the average win rate per model. Models are in rating
 * order, at most {@link #MAX_MODELS} of them, as the notebook limits what it shows.
 */
public final class LeaderboardFigures {
    public static final int MAX_MODELS = 30;
    private static final int CELL = 34;
    private static final int LABEL = 190;

    private LeaderboardFigures() {
    }

    public static String winFractionHeatmap(PairwiseTables t) {
        int k = Math.min(MAX_MODELS, t.models().size());
        return heatmap(t.models().subList(0, k), (i, j) -> t.winFraction()[i][j], v -> Double.isNaN(v) ? "" : fmt("%.2f", v),
                v -> Double.isNaN(v) ? "#f4f4f4" : diverging(v), "Fraction of model A wins (battles without ties)");
    }

    public static String battleCountHeatmap(PairwiseTables t) {
        int k = Math.min(MAX_MODELS, t.models().size());
        long max = 1;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                max = Math.max(max, t.count()[i][j]);
            }
        }
        double top = max;
        return heatmap(t.models().subList(0, k), (i, j) -> t.count()[i][j], v -> v == 0 ? "" : fmt("%.0f", v),
                v -> sequential(v / top), "Battle count for each pair (battles without ties)");
    }

    public static String ratingIntervals(Map<String, BradleyTerry.Rating> bt) {
        List<String> models = new ArrayList<>(bt.keySet()).subList(0, Math.min(MAX_MODELS, bt.size()));
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (String m : models) {
            lo = Math.min(lo, bt.get(m).lower());
            hi = Math.max(hi, bt.get(m).upper());
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        int width = 640;
        int rowH = 22;
        int plot = width - LABEL - 60;
        StringBuilder s = svgStart(width, 40 + rowH * models.size(), "Bradley-Terry rating with 95% bootstrap interval");
        for (int i = 0; i < models.size(); i++) {
            BradleyTerry.Rating r = bt.get(models.get(i));
            double y = 30 + rowH * i + rowH / 2.0;
            double x0 = LABEL + plot * (r.lower() - lo) / (hi - lo);
            double x1 = LABEL + plot * (r.upper() - lo) / (hi - lo);
            double xm = LABEL + plot * (r.rating() - lo) / (hi - lo);
            s.append(label(LABEL - 6, y, models.get(i), "end"));
            s.append(fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" stroke-width=\"2\"/>", x0, y, x1, y));
            s.append(fmt("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#2166ac\"><title>%s: %.1f (%.1f to %.1f)</title></circle>",
                    xm, y, escape(models.get(i)), r.rating(), r.lower(), r.upper()));
            s.append(fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%.0f</text>", x1 + 6, y + 4, r.rating()));
        }
        return s.append("</svg>").toString();
    }

    public static String averageWinRate(PairwiseTables t) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < t.models().size(); i++) {
            order.add(i);
        }
        // Sorted by average win rate, as the notebook's bar chart is; models that never met go last.
        order.sort((a, b) -> Double.compare(nanLow(t.averageWinRate()[b]), nanLow(t.averageWinRate()[a])));
        order = order.subList(0, Math.min(MAX_MODELS, order.size()));
        int width = 640;
        int rowH = 22;
        int plot = width - LABEL - 60;
        StringBuilder s = svgStart(width, 40 + rowH * order.size(), "Average win rate against all other models (battles without ties)");
        for (int n = 0; n < order.size(); n++) {
            int i = order.get(n);
            double v = t.averageWinRate()[i];
            double y = 30 + rowH * n;
            s.append(label(LABEL - 6, y + rowH / 2.0, t.models().get(i), "end"));
            if (!Double.isNaN(v)) {
                s.append(fmt("<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"#4393c3\"/>", LABEL, y + 3, plot * v, rowH - 6));
                s.append(fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%.2f</text>", LABEL + plot * v + 6, y + rowH / 2.0 + 4, v));
            }
        }
        return s.append("</svg>").toString();
    }

    private interface Cell {
        double value(int i, int j);
    }

    private interface Text {
        String of(double v);
    }

    private static String heatmap(List<String> models, Cell cell, Text text, Text color, String title) {
        int k = models.size();
        int size = LABEL + CELL * k + 10;
        StringBuilder s = svgStart(size, size + 10, title);
        for (int j = 0; j < k; j++) {
            double x = LABEL + CELL * j + CELL / 2.0;
            s.append(fmt("<text transform=\"translate(%.1f,%d) rotate(-60)\" font-size=\"11\">%s</text>", x, LABEL - 4, escape(models.get(j))));
        }
        for (int i = 0; i < k; i++) {
            double y = LABEL + CELL * i;
            s.append(label(LABEL - 6, y + CELL / 2.0, models.get(i), "end"));
            for (int j = 0; j < k; j++) {
                double v = cell.value(i, j);
                double x = LABEL + CELL * j;
                s.append(fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>Model A: %s, Model B: %s: %s</title></rect>",
                        x, y, CELL - 1, CELL - 1, color.of(v), escape(models.get(i)), escape(models.get(j)), text.of(v)));
                s.append(fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s</text>", x + CELL / 2.0,
                        y + CELL / 2.0 + 3, text.of(v)));
            }
        }
        s.append(fmt("<text x=\"%d\" y=\"%d\" font-size=\"11\">rows: model A, columns: model B</text>", 4, 14));
        return s.append("</svg>").toString();
    }

    private static StringBuilder svgStart(int width, int height, String title) {
        return new StringBuilder(4096).append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" role=\"img\"><title>%s</title>", width, height, width, height, escape(title)));
    }

    private static String label(double x, double y, String text, String anchor) {
        return fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\">%s</text>", x, y + 4, anchor, escape(text));
    }

    /** RdBu: 0 red, 0.5 white, 1 blue. */
    private static String diverging(double v) {
        double t = Math.max(0, Math.min(1, v));
        int r;
        int g;
        int b;
        if (t < 0.5) {
            double u = t / 0.5;
            r = (int) Math.round(178 + (247 - 178) * u);
            g = (int) Math.round(24 + (247 - 24) * u);
            b = (int) Math.round(43 + (247 - 43) * u);
        } else {
            double u = (t - 0.5) / 0.5;
            r = (int) Math.round(247 + (33 - 247) * u);
            g = (int) Math.round(247 + (102 - 247) * u);
            b = (int) Math.round(247 + (172 - 247) * u);
        }
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static String sequential(double t) {
        double u = Math.max(0, Math.min(1, t));
        int r = (int) Math.round(240 - 200 * u);
        int g = (int) Math.round(244 - 120 * u);
        int b = (int) Math.round(250 - 60 * u);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static double nanLow(double v) {
        return Double.isNaN(v) ? -1 : v;
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
