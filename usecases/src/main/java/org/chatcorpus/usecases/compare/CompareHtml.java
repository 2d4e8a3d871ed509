package org.chatcorpus.usecases.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.chatcorpus.core.web.Html;

/** {@code index.html} of a comparison: self-contained (inline CSS and SVG, no script), every text escaped. */
public final class CompareHtml {
    private static final String A_COLOUR = "#1f77b4";
    private static final String B_COLOUR = "#ff7f0e";

    private CompareHtml() {
    }

    public static String render(JsonNode r) {
        JsonNode a = r.path("a");
        JsonNode b = r.path("b");
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape("compare: " + a.path("label").asText() + " vs " + b.path("label").asText()))
                .append("</title><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
                .append("<style>body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}.a{color:").append(A_COLOUR).append("}.b{color:").append(B_COLOUR)
                .append("}.muted{color:#666;font-size:13px}svg text{font:13px system-ui,sans-serif}</style></head><body>");
        h.append("<h1>").append(Html.escape(a.path("label").asText())).append(" <span class=\"muted\">(A)</span> vs ")
                .append(Html.escape(b.path("label").asText())).append(" <span class=\"muted\">(B)</span></h1>");

        h.append("<h2>The corpora</h2><table><tr><th></th><th class=\"a\">A</th><th class=\"b\">B</th></tr>");
        row(h, "conversations", fmt(a.path("conversations").asLong()), fmt(b.path("conversations").asLong()));
        row(h, "models", fmt(a.path("models").size()), fmt(b.path("models").size()));
        row(h, "languages", fmt(a.path("languages").size()), fmt(b.path("languages").size()));
        row(h, "avg. turns", String.format(Locale.ROOT, "%.2f", a.path("avg_turns").asDouble()),
                String.format(Locale.ROOT, "%.2f", b.path("avg_turns").asDouble()));
        if (a.path("tokens").has("avg_prompt_tokens")) {
            row(h, "avg. tokens per prompt", num(a.path("tokens").path("avg_prompt_tokens")), num(b.path("tokens").path("avg_prompt_tokens")));
            row(h, "avg. tokens per response", num(a.path("tokens").path("avg_response_tokens")), num(b.path("tokens").path("avg_response_tokens")));
        }
        row(h, "NAME_n redaction", pct(a.path("redacted_share").asDouble()), pct(b.path("redacted_share").asDouble()));
        h.append("</table><p class=\"muted\">Token lengths: ").append(Html.escape(a.path("tokens").path("tokenizer").asText()))
                .append(" tokenizer on a seeded sample of ").append(fmt(a.path("tokens").path("sample").asLong())).append(" / ")
                .append(fmt(b.path("tokens").path("sample").asLong())).append(" conversations.</p>");

        h.append("<h2>Models and languages</h2>");
        sideBySide(h, "model", a.path("models"), b.path("models"), 20);
        sideBySide(h, "language", a.path("languages"), b.path("languages"), 20);

        JsonNode o = r.path("overlap");
        h.append("<h2>Prompt overlap</h2><p>Of B's ").append(fmt(b.path("conversations").asLong())).append(" conversations, <b>")
                .append(fmt(o.path("exact").asLong())).append("</b> (").append(pct(o.path("exact_share").asDouble()))
                .append(") have a first prompt that A has too (after NFKC, case and whitespace normalization), and <b>")
                .append(fmt(o.path("near").asLong())).append("</b> (").append(pct(o.path("near_share").asDouble()))
                .append(") have one at least ").append(num(o.path("near_threshold")))
                .append(" similar to one of A's (MinHash, as curate's near-duplicates; exact ones included).</p>");
        examples(h, "Exact", o.path("examples").path("exact"));
        examples(h, "Near", o.path("examples").path("near"));

        JsonNode t = r.path("topics");
        if (t.path("clusters").size() > 0) {
            h.append("<h2>A's topics in B</h2><p class=\"muted\">").append(fmt(t.path("k").asLong())).append(" clusters of ")
                    .append(fmt(t.path("sample_a").asLong())).append(" prompts of A (").append(Html.escape(t.path("embedder").asText()))
                    .append("); ").append(fmt(t.path("sample_b").asLong())).append(" prompts of B assigned to the nearest cluster centre.</p>");
            h.append(topicChart(t.path("clusters")));
            h.append("<table><tr><th>#</th><th>keywords</th><th class=\"a\">A</th><th class=\"b\">B</th><th>an example from A</th></tr>");
            for (JsonNode c : t.path("clusters")) {
                h.append("<tr><td class=\"n\">").append(c.path("id").asInt()).append("</td><td>").append(Html.escape(c.path("keywords").asText()))
                        .append("</td><td class=\"n\">").append(pct(c.path("share_a").asDouble())).append("</td><td class=\"n\">")
                        .append(pct(c.path("share_b").asDouble())).append("</td><td class=\"muted\">")
                        .append(Html.escape(shorten(c.path("example_a").asText(), 160))).append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String topicChart(JsonNode clusters) {
        int rows = clusters.size();
        int rowH = 34;
        int left = 260;
        int width = 900;
        int plot = width - left - 70;
        double max = 0;
        for (JsonNode c : clusters) {
            max = Math.max(max, Math.max(c.path("share_a").asDouble(), c.path("share_b").asDouble()));
        }
        max = max <= 0 ? 1 : max;
        StringBuilder s = new StringBuilder();
        s.append("<svg role=\"img\" aria-label=\"topic shares in A and B\" width=\"").append(width).append("\" height=\"")
                .append(rows * rowH + 40).append("\" viewBox=\"0 0 ").append(width).append(' ').append(rows * rowH + 40).append("\">");
        s.append("<rect x=\"").append(left).append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"").append(A_COLOUR)
                .append("\"/><text x=\"").append(left + 16).append("\" y=\"15\">A</text><rect x=\"").append(left + 50)
                .append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"").append(B_COLOUR).append("\"/><text x=\"").append(left + 66)
                .append("\" y=\"15\">B</text>");
        int y = 28;
        for (JsonNode c : clusters) {
            String label = "#" + c.path("id").asInt() + " " + shorten(c.path("keywords").asText(), 34);
            double sa = c.path("share_a").asDouble();
            double sb = c.path("share_b").asDouble();
            s.append("<text x=\"").append(left - 8).append("\" y=\"").append(y + 17).append("\" text-anchor=\"end\">")
                    .append(Html.escape(label)).append("</text>");
            bar(s, left, y + 2, sa / max * plot, A_COLOUR, "A: " + pct(sa) + " — " + c.path("keywords").asText());
            bar(s, left, y + 16, sb / max * plot, B_COLOUR, "B: " + pct(sb) + " — " + c.path("keywords").asText());
            s.append("<text x=\"").append(left + (int) (Math.max(sa, sb) / max * plot) + 6).append("\" y=\"").append(y + 17)
                    .append("\" class=\"muted\">").append(pct(sa)).append(" / ").append(pct(sb)).append("</text>");
            y += rowH;
        }
        return s.append("</svg>").toString();
    }

    private static void bar(StringBuilder s, int x, int y, double w, String colour, String title) {
        s.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"")
                .append(String.format(Locale.ROOT, "%.1f", Math.max(0.5, w))).append("\" height=\"13\" fill=\"").append(colour)
                .append("\"><title>").append(Html.escape(title)).append("</title></rect>");
    }

    private static void sideBySide(StringBuilder h, String what, JsonNode a, JsonNode b, int top) {
        Set<String> names = new LinkedHashSet<>();
        List<String> aNames = new ArrayList<>();
        a.fieldNames().forEachRemaining(aNames::add);
        List<String> bNames = new ArrayList<>();
        b.fieldNames().forEachRemaining(bNames::add);
        names.addAll(aNames.subList(0, Math.min(top, aNames.size())));
        names.addAll(bNames.subList(0, Math.min(top, bNames.size())));
        long ta = total(a);
        long tb = total(b);
        h.append("<table><tr><th>").append(what).append("</th><th class=\"a\">A</th><th class=\"b\">B</th></tr>");
        for (String n : names) {
            h.append("<tr><td>").append(Html.escape(n)).append("</td><td class=\"n\">").append(cell(a.path(n).asLong(0), ta))
                    .append("</td><td class=\"n\">").append(cell(b.path(n).asLong(0), tb)).append("</td></tr>");
        }
        h.append("</table>");
    }

    private static String cell(long n, long total) {
        return n == 0 ? "–" : fmt(n) + " <span class=\"muted\">" + pct(total == 0 ? 0 : n / (double) total) + "</span>";
    }

    private static long total(JsonNode counts) {
        long t = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
            t += it.next().getValue().asLong();
        }
        return t;
    }

    private static void examples(StringBuilder h, String kind, JsonNode list) {
        if (list.isEmpty()) {
            return;
        }
        h.append("<h3>").append(kind).append(" overlap, examples</h3><table><tr><th>B conversation</th><th>first prompt</th>")
                .append(kind.equals("Near") ? "<th>A conversation</th><th>similarity</th>" : "").append("</tr>");
        for (JsonNode e : list) {
            h.append("<tr><td class=\"muted\">").append(Html.escape(e.path("conversation_id_b").asText())).append("</td><td>")
                    .append(Html.escape(e.path("prompt").asText())).append("</td>");
            if (kind.equals("Near")) {
                h.append("<td class=\"muted\">").append(Html.escape(e.path("conversation_id_a").asText())).append("</td><td class=\"n\">")
                        .append(num(e.path("similarity"))).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static void row(StringBuilder h, String label, String a, String b) {
        h.append("<tr><th>").append(label).append("</th><td class=\"n\">").append(a).append("</td><td class=\"n\">").append(b).append("</td></tr>");
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String num(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "–" : String.format(Locale.ROOT, "%.2f", n.asDouble());
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
