package org.chatcorpus.report;

import java.util.List;
import java.util.Locale;
import org.chatcorpus.core.web.Html;

/**
 * A small SVG chart writer: horizontal and vertical bar charts, histograms with a log-scale x axis
 * and scatter plots. The output is a self-contained {@code <svg>} element (presentation attributes,
 * no CSS classes needed, no scripts, no external references), so it can be inlined into HTML or
 * saved as an .svg file. Every label is escaped. Each bar is a {@code <g class="bar">} carrying
 * {@code data-label} and {@code data-value}, each point a {@code <circle class="point">} with
 * {@code data-series}, so tests (and people) can read the numbers back.
 */
public final class SvgChart {
    /** Categorical colours (Tableau 20-like), cycled for more series. */
    public static final List<String> PALETTE = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
            "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5");
    private static final String BAR = "#4e79a7";
    // 12 px at the chart's own size: the smallest text that stays readable when a report is read on a laptop.
    private static final String FONT = "font-family=\"sans-serif\" font-size=\"12\"";

    // Geometry shared by the charts with axes (vertical bars, log histograms).
    private static final int LEFT = 60;
    private static final int PLOT_W = 700;
    private static final int PLOT_H = 240;
    private static final int TOP = 30;
    private static final int WIDTH = LEFT + PLOT_W + 20;
    private static final int HEIGHT = TOP + PLOT_H + 60;

    private SvgChart() {
    }

    public record Bar(String label, double value) {
    }

    /** A histogram bin [lo, hi) with its count. */
    public record Bin(double lo, double hi, long count) {
    }

    public record Point(double x, double y, int series) {
    }

    public static String colour(int series) {
        return PALETTE.get(Math.floorMod(series, PALETTE.size()));
    }

    /** Horizontal bars, one row per label, in the given order (long model names stay readable). */
    public static String horizontalBars(String id, String title, List<Bar> bars, boolean percent) {
        int labelW = 210;
        int plotW = 480;
        int row = 18;
        int top = 30;
        int width = labelW + plotW + 90;
        int height = top + Math.max(1, bars.size()) * row + 12;
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
        StringBuilder sb = open(id, title, width, height);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double w = max <= 0 ? 0 : plotW * b.value() / max;
            int y = top + i * row;
            sb.append("<g class=\"bar\" data-label=\"").append(Html.escape(b.label())).append("\" data-value=\"")
                    .append(num(b.value())).append("\">");
            sb.append("<text x=\"").append(labelW - 6).append("\" y=\"").append(y + 13).append("\" text-anchor=\"end\" ")
                    .append(FONT).append(">").append(Html.escape(shorten(b.label(), 34))).append("</text>");
            sb.append("<rect x=\"").append(labelW).append("\" y=\"").append(y + 2).append("\" width=\"").append(fmt(w))
                    .append("\" height=\"").append(row - 4).append("\" fill=\"").append(BAR).append("\"><title>")
                    .append(Html.escape(b.label())).append(": ").append(valueText(b.value(), percent)).append("</title></rect>");
            sb.append("<text x=\"").append(fmt(labelW + w + 4)).append("\" y=\"").append(y + 13).append("\" ").append(FONT)
                    .append(">").append(valueText(b.value(), percent)).append("</text>");
            sb.append("</g>\n");
        }
        return sb.append("</svg>\n").toString();
    }

    /** Vertical bars over categories (days, turns), labelling at most ~20 ticks. */
    public static String verticalBars(String id, String title, List<Bar> bars, String xLabel) {
        StringBuilder sb = open(id, title, WIDTH, HEIGHT);
        double max = axes(sb, LEFT, TOP, PLOT_W, PLOT_H, bars.stream().mapToDouble(Bar::value).max().orElse(0), xLabel);
        int n = Math.max(1, bars.size());
        double slot = (double) PLOT_W / n;
        int every = Math.max(1, (int) Math.ceil(n / 20.0));
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double h = max <= 0 ? 0 : PLOT_H * b.value() / max;
            double x = LEFT + i * slot;
            sb.append("<g class=\"bar\" data-label=\"").append(Html.escape(b.label())).append("\" data-value=\"")
                    .append(num(b.value())).append("\">");
            sb.append("<rect x=\"").append(fmt(x + slot * 0.1)).append("\" y=\"").append(fmt(TOP + PLOT_H - h))
                    .append("\" width=\"").append(fmt(Math.max(0.5, slot * 0.8))).append("\" height=\"").append(fmt(h))
                    .append("\" fill=\"").append(BAR).append("\"><title>").append(Html.escape(b.label())).append(": ")
                    .append(valueText(b.value(), false)).append("</title></rect>");
            if (i % every == 0) {
                sb.append("<text x=\"").append(fmt(x + slot / 2)).append("\" y=\"").append(TOP + PLOT_H + 14)
                        .append("\" text-anchor=\"middle\" ").append(FONT).append(">").append(Html.escape(shorten(b.label(), 12)))
                        .append("</text>");
            }
            sb.append("</g>\n");
        }
        return sb.append("</svg>\n").toString();
    }

    /**
     * A histogram whose bins are placed on a log-scale x axis (bins must have {@code hi > 0});
     * a bin starting at 0 is drawn from 1, so zero-length messages stay visible in the first bar.
     */
    public static String logHistogram(String id, String title, List<Bin> bins, String xLabel) {
        long top = bins.stream().mapToLong(Bin::count).max().orElse(0);
        double lo = bins.isEmpty() ? 1 : Math.max(1, bins.get(0).lo());
        double hi = bins.isEmpty() ? 10 : Math.max(lo * 10, bins.get(bins.size() - 1).hi());
        double l0 = Math.log10(lo);
        double span = Math.log10(hi) - l0;
        StringBuilder sb = open(id, title, WIDTH, HEIGHT);
        double max = axes(sb, LEFT, TOP, PLOT_W, PLOT_H, top, xLabel);
        for (double v : logTicks(lo, hi)) {
            double x = LEFT + PLOT_W * (Math.log10(v) - l0) / span;
            sb.append("<line class=\"x-tick\" x1=\"").append(fmt(x)).append("\" y1=\"").append(TOP + PLOT_H).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(TOP + PLOT_H + 4).append("\" stroke=\"#333\"/>");
            sb.append("<text class=\"x-tick-label\" x=\"").append(fmt(x)).append("\" y=\"").append(TOP + PLOT_H + 17)
                    .append("\" text-anchor=\"middle\" ").append(FONT).append(">").append(tick(v)).append("</text>\n");
        }
        for (Bin b : bins) {
            double x0 = LEFT + PLOT_W * (Math.log10(Math.max(1, b.lo())) - l0) / span;
            double x1 = LEFT + PLOT_W * (Math.log10(Math.max(b.hi(), Math.max(1, b.lo()) * 1.0001)) - l0) / span;
            double h = max == 0 ? 0 : (double) PLOT_H * b.count() / max;
            String label = num(b.lo()) + "–" + num(b.hi());
            sb.append("<g class=\"bar\" data-label=\"").append(label).append("\" data-value=\"").append(b.count()).append("\">");
            sb.append("<rect x=\"").append(fmt(x0)).append("\" y=\"").append(fmt(TOP + PLOT_H - h)).append("\" width=\"")
                    .append(fmt(Math.max(0.5, x1 - x0 - 0.5))).append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(BAR)
                    .append("\"><title>[").append(num(b.lo())).append(", ").append(num(b.hi())).append("): ").append(b.count())
                    .append("</title></rect></g>\n");
        }
        return sb.append("</svg>\n").toString();
    }

    /** A scatter plot; {@code seriesLabels.get(s)} names series s in the legend. */
    public static String scatter(String id, String title, List<Point> points, List<String> seriesLabels) {
        int left = 20;
        int plotW = 560;
        int plotH = 440;
        int top = 30;
        int legendW = 260;
        int width = left + plotW + legendW;
        int height = Math.max(top + plotH + 20, top + seriesLabels.size() * 16 + 20);
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Point p : points) {
            minX = Math.min(minX, p.x());
            maxX = Math.max(maxX, p.x());
            minY = Math.min(minY, p.y());
            maxY = Math.max(maxY, p.y());
        }
        double sx = maxX > minX ? plotW / (maxX - minX) : 1;
        double sy = maxY > minY ? plotH / (maxY - minY) : 1;
        StringBuilder sb = open(id, title, width, height);
        sb.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"none\" stroke=\"#ccc\"/>\n");
        for (Point p : points) {
            double x = left + (p.x() - minX) * sx;
            double y = top + plotH - (p.y() - minY) * sy;
            String name = p.series() >= 0 && p.series() < seriesLabels.size() ? seriesLabels.get(p.series()) : "series " + p.series();
            sb.append("<circle class=\"point\" data-series=\"").append(p.series()).append("\" cx=\"").append(fmt(x))
                    .append("\" cy=\"").append(fmt(y)).append("\" r=\"2.2\" fill=\"").append(colour(p.series()))
                    .append("\" fill-opacity=\"0.7\"><title>").append(Html.escape(name)).append("</title></circle>\n");
        }
        for (int s = 0; s < seriesLabels.size(); s++) {
            int y = top + s * 16;
            sb.append("<g class=\"legend\" data-series=\"").append(s).append("\"><rect x=\"").append(left + plotW + 12)
                    .append("\" y=\"").append(y + 2).append("\" width=\"10\" height=\"10\" fill=\"").append(colour(s)).append("\"><title>")
                    .append(Html.escape(seriesLabels.get(s))).append("</title></rect>")
                    .append("<text x=\"").append(left + plotW + 26).append("\" y=\"").append(y + 11).append("\" ").append(FONT).append(">")
                    .append(Html.escape(shorten(seriesLabels.get(s), 36))).append("</text></g>\n");
        }
        return sb.append("</svg>\n").toString();
    }

    /** The chart as a standalone .svg file. */
    public static String asFile(String svg) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg;
    }

    private static StringBuilder open(String id, String title, int width, int height) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"").append(Html.escape(id))
                .append("\" width=\"").append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" role=\"img\">\n<title>").append(Html.escape(title))
                .append("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<text x=\"10\" y=\"18\" ")
                .append("font-family=\"sans-serif\" font-size=\"14\" font-weight=\"bold\">").append(Html.escape(title)).append("</text>\n");
        return sb;
    }

    /**
     * Draws the axes and the count axis's ticks, and returns the axis's top value: {@code dataMax}
     * rounded up to a whole number of "nice" steps (1, 2 or 5 × 10^k, at least 1), so every tick
     * is an integer count, never 565.5. Bars are scaled to the returned value.
     */
    private static double axes(StringBuilder sb, int left, int top, int plotW, int plotH, double dataMax, String xLabel) {
        double step = countStep(dataMax / 4);
        int steps = dataMax <= 0 ? 4 : (int) Math.max(1, Math.ceil(dataMax / step - 1e-9));
        double max = steps * step;
        sb.append("<line x1=\"").append(left).append("\" y1=\"").append(top + plotH).append("\" x2=\"").append(left + plotW)
                .append("\" y2=\"").append(top + plotH).append("\" stroke=\"#333\"/>");
        sb.append("<line x1=\"").append(left).append("\" y1=\"").append(top).append("\" x2=\"").append(left).append("\" y2=\"")
                .append(top + plotH).append("\" stroke=\"#333\"/>\n");
        for (int i = 0; i <= steps; i++) {
            double v = step * i;
            double y = top + plotH - plotH * (double) i / steps;
            sb.append("<text class=\"y-tick-label\" x=\"").append(left - 4).append("\" y=\"").append(fmt(y + 4)).append("\" text-anchor=\"end\" ")
                    .append(FONT).append(">").append(tick(v)).append("</text>");
            sb.append("<line x1=\"").append(left).append("\" y1=\"").append(fmt(y)).append("\" x2=\"").append(left + plotW)
                    .append("\" y2=\"").append(fmt(y)).append("\" stroke=\"#eee\"/>\n");
        }
        sb.append("<text x=\"").append(left + plotW / 2).append("\" y=\"").append(top + plotH + 40)
                .append("\" text-anchor=\"middle\" ").append(FONT).append(">").append(Html.escape(xLabel)).append("</text>\n");
        return max;
    }

    /** A step of 1, 2 or 5 × 10^k no smaller than {@code raw} and never below 1 (counts are integers). */
    static double countStep(double raw) {
        if (!(raw > 1)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw - 1e-9) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /**
     * Ticks of a log axis from lo to hi: the powers of ten, and 2 and 5 times them when the axis
     * spans fewer than three decades, so a short axis is never labelled by just two numbers.
     */
    static List<Double> logTicks(double lo, double hi) {
        double decades = Math.log10(hi) - Math.log10(lo);
        double[] mults = decades < 3 ? new double[] {1, 2, 5} : new double[] {1};
        List<Double> out = new java.util.ArrayList<>();
        for (int p = (int) Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
            for (double m : mults) {
                double v = m * Math.pow(10, p);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String valueText(double v, boolean percent) {
        return percent ? String.format(Locale.ROOT, "%.2f%%", v) : v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String tick(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** A number as written into data attributes: integral values without a fraction. */
    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
