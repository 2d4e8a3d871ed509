package org.chatcorpus.explorer;

import static org.chatcorpus.core.web.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chatcorpus.core.io.ModerationSource;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.web.MarkdownHtml;

/**
 * Server-rendered pages of the explorer. Every piece of data is escaped before it is written;
 * the only markup added around data is {@code <mark>} for matches and NAME_n placeholders, placed
 * around already-escaped text, and the Markdown of assistant answers, rendered and sanitized by
 * {@link MarkdownHtml} (prompts are shown exactly as typed). No inline script or style:
 * explorer.js and explorer.css are files.
 */
final class ExplorerPages {
    /** Messages longer than this are shown truncated, with a note. */
    static final int MESSAGE_DISPLAY_CHARS = 100_000;
    private static final Pattern NAME = Pattern.compile("NAME_\\d+");

    private ExplorerPages() {
    }

    private static String layout(String page, String title, String body) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + " · chatcorpus explorer</title>"
                + "<link rel=\"stylesheet\" href=\"/static/explorer.css\"></head>"
                + "<body data-page=\"" + page + "\"><header><nav>"
                + "<a href=\"/\">Search</a><a href=\"/overview\">Overview</a>"
                + "</nav></header><main>" + body + "</main>"
                + "<script src=\"/static/explorer.js\"></script></body></html>";
    }

    static String url(String path, SearchRequest r, boolean withPage) {
        String qs = r.queryString(withPage);
        return qs.isEmpty() ? path : path + "?" + qs;
    }

    static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String error(int status, String message) {
        return layout("error", "Error", "<h1>Error " + status + "</h1><p id=\"error\">" + escape(message) + "</p>"
                + "<p><a href=\"/\">Back to search</a></p>");
    }

    static String search(SearchRequest r, Searcher.Result res, int indexed) {
        return search(r, res, indexed, null, Map.of());
    }

    /**
     * @param queryNote  the parser's complaint when the query is not valid syntax (the words were searched as typed), or null
     * @param topicNames a label per topic id (its keywords, from the report), shown in the topic facet
     */
    static String search(SearchRequest r, Searcher.Result res, int indexed, String queryNote, Map<String, String> topicNames) {
        StringBuilder b = new StringBuilder("<h1>Search conversations</h1>");
        b.append("<form id=\"search-form\" method=\"get\" action=\"/\">")
                .append("<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"").append(SearchRequest.MAX_QUERY_CHARS)
                .append("\" placeholder=\"words, &quot;a phrase&quot;, a AND (b OR c) NOT d\" value=\"").append(escape(r.q())).append("\">");
        b.append(" <label>Role <select id=\"role\" name=\"role\"><option value=\"\">any</option>");
        for (String role : SearchRequest.ROLES) {
            b.append("<option value=\"").append(role).append('"').append(role.equals(r.role()) ? " selected" : "").append('>')
                    .append(role).append("</option>");
        }
        b.append("</select></label> <label>Sort <select id=\"sort\" name=\"sort\">");
        for (String s : SearchRequest.SORTS) {
            b.append("<option value=\"").append(s).append('"').append(s.equals(r.sort()) ? " selected" : "").append('>')
                    .append(s.equals("relevance") ? "relevance" : s.equals("length") ? "longest first" : "most turns first")
                    .append("</option>");
        }
        b.append("</select></label>");
        r.filters().forEach((k, vs) -> vs.forEach(v -> b.append("<input type=\"hidden\" name=\"").append(k).append("\" value=\"")
                .append(escape(v)).append("\">")));
        b.append(" <button id=\"search\" type=\"submit\">Search</button></form>");

        if (queryNote != null) {
            b.append("<p id=\"query-note\" class=\"note warn\" role=\"alert\">This query is not valid search syntax (")
                    .append(escape(queryNote)).append("), so its words were searched as typed. Close parentheses and quotes, "
                            + "and write AND, OR, NOT between words.</p>");
        }
        if (!r.filters().isEmpty()) {
            b.append("<p id=\"active-filters\">Filters: ");
            r.filters().forEach((k, vs) -> vs.forEach(v -> b.append("<a class=\"active-filter\" href=\"")
                    .append(escape(url("/", r.toggle(k, v), false))).append("\" title=\"remove\">").append(k).append(": ")
                    .append(escape(v)).append(" ✕</a> ")));
            b.append("</p>");
        }
        b.append("<p class=\"summary\"><span id=\"total\" data-total=\"").append(res.total()).append("\">")
                .append(String.format(Locale.ROOT, "%,d", res.total())).append("</span> of ")
                .append(String.format(Locale.ROOT, "%,d", indexed)).append(" conversations match. Export: ")
                .append("<a id=\"export-jsonl\" href=\"").append(escape(url("/export", r, false) + (r.queryString(false).isEmpty() ? "?" : "&")
                        + "format=jsonl")).append("\">JSONL</a> · ")
                .append("<a id=\"export-parquet\" href=\"").append(escape(url("/export", r, false) + (r.queryString(false).isEmpty() ? "?" : "&")
                        + "format=parquet")).append("\">Parquet</a> · <button id=\"compact-toggle\" type=\"button\" hidden>"
                        + "Compact table</button></p>");

        b.append("<div class=\"layout\"><aside id=\"facets\">");
        for (Map.Entry<String, Map<String, Long>> f : res.facets().entrySet()) {
            if (f.getValue().isEmpty()) {
                continue;
            }
            b.append("<section class=\"facet\" data-facet=\"").append(f.getKey()).append("\"><h2>").append(f.getKey()).append("</h2><ul>");
            int shown = 0;
            for (Map.Entry<String, Long> v : f.getValue().entrySet()) {
                if (shown++ == 30) {
                    b.append("<li class=\"more\">… ").append(f.getValue().size() - 30).append(" more</li>");
                    break;
                }
                String value = v.getKey();
                boolean active;
                String href;
                if (f.getKey().equals("role")) {
                    active = value.equals(r.role());
                    href = url("/", (active ? r.withRole(null) : r.withRole(value)).withOffset(0), false);
                } else {
                    active = r.filters().getOrDefault(f.getKey(), List.of()).contains(value);
                    href = url("/", r.toggle(f.getKey(), value), false);
                }
                b.append("<li><a class=\"facet-value").append(active ? " active" : "").append("\" data-value=\"").append(escape(value))
                        .append("\" href=\"").append(escape(href)).append("\">")
                        .append(value.isEmpty() ? "<em>(empty)</em>" : escape(value))
                        .append(f.getKey().equals("topic") && topicNames.containsKey(value)
                                ? " <span class=\"topic-words\">" + escape(topicNames.get(value)) + "</span>" : "")
                        .append("</a> <span class=\"count\">")
                        .append(String.format(Locale.ROOT, "%,d", v.getValue())).append("</span></li>");
            }
            b.append("</ul></section>");
        }
        b.append("</aside><section id=\"results\"><ol id=\"hits\" start=\"").append(r.offset() + 1).append("\">");
        String from = r.queryString(true);
        String back = from.isEmpty() ? "" : "?from=" + URLEncoder.encode(from, StandardCharsets.UTF_8);
        for (Searcher.Hit h : res.hits()) {
            String title = h.title().isBlank() ? h.conversationId() : h.title();
            b.append("<li class=\"hit\"><div class=\"hit-head\"><a class=\"hit-link\" data-id=\"").append(escape(h.conversationId()))
                    .append("\" href=\"/c/").append(escape(pathSegment(h.conversationId()) + back))
                    .append("\">").append(escape(title)).append("</a> <span class=\"meta\">").append(escape(h.model()))
                    .append(" · ").append(escape(h.language().isEmpty() ? "(no language)" : h.language())).append(" · ")
                    .append(h.turn()).append(h.turn() == 1 ? " turn" : " turns").append(h.flagged() ? " · <span class=\"flag\">flagged</span>" : "")
                    .append("</span></div><p class=\"snippet\"><span class=\"role\">").append(escape(h.snippet().role()))
                    .append("</span> ").append(highlighted(h.snippet())).append("</p></li>");
        }
        b.append("</ol>");
        if (res.hits().isEmpty()) {
            b.append("<p id=\"no-hits\">No conversation matches.</p>");
        }
        b.append("<nav class=\"pages\">");
        if (r.offset() > 0) {
            b.append("<a id=\"prev\" href=\"").append(escape(url("/", r.withOffset(Math.max(0, r.offset() - r.limit())), true)))
                    .append("\">← previous</a> ");
        }
        long next = (long) r.offset() + r.limit();
        if (next < res.total() && next <= SearchRequest.MAX_OFFSET) {
            b.append("<a id=\"next\" href=\"").append(escape(url("/", r.withOffset((int) next), true))).append("\">next →</a>");
        }
        b.append("</nav></section></div>");
        return layout("search", r.q().isEmpty() ? "Search" : r.q(), b.toString());
    }

    /** The snippet text escaped, with its matches in {@code <mark>}. */
    static String highlighted(Searcher.Snippet s) {
        StringBuilder b = new StringBuilder();
        int at = 0;
        String text = s.text();
        for (int[] m : s.marks()) {
            if (m[0] < at || m[1] > text.length()) {
                continue;
            }
            b.append(escape(text.substring(at, m[0]))).append("<mark>").append(escape(text.substring(m[0], m[1]))).append("</mark>");
            at = m[1];
        }
        return b.append(escape(text.substring(at))).toString();
    }

    /** Escaped text with NAME_n placeholders marked. */
    static String withNames(String text) {
        String escaped = escape(text);
        Matcher m = NAME.matcher(escaped);
        StringBuilder b = new StringBuilder();
        int at = 0;
        while (m.find()) {
            b.append(escaped, at, m.start()).append("<mark class=\"name\">").append(m.group()).append("</mark>");
            at = m.end();
        }
        return b.append(escaped, at, escaped.length()).toString();
    }

    /** One similar conversation: its id, title (first prompt, cut) and cosine similarity. */
    record Similar(String id, String title, double similarity) {
    }

    /**
     * The "Similar conversations" section of a conversation page.
     *
     * @param note  why the list is empty (this conversation has no embedding), or null
     * @param model the embedding model the similarities come from
     */
    record SimilarSection(List<Similar> similar, String note, String model) {
    }

    static String conversation(Conversation c) {
        return conversation(c, null);
    }

    static String conversation(Conversation c, String from) {
        return conversation(c, from, null, ModerationSource.openAi("the inputs' own openai_moderation tags"));
    }

    /**
     * @param from             the search's query string this page was opened from (for the way back), or null
     * @param similar          the similar conversations section, or null when the release has no report embeddings
     * @param moderationSource who filled the moderation tags shown under each message
     */
    static String conversation(Conversation c, String from, SimilarSection similar, ModerationSource moderationSource) {
        String id = pathSegment(c.conversationId());
        StringBuilder b = new StringBuilder();
        if (from != null && !from.isBlank() && from.length() <= 4 * SearchRequest.MAX_QUERY_CHARS) {
            b.append("<p class=\"back\"><a id=\"back-to-results\" href=\"").append(escape("/?" + from)).append("\">← Back to results</a></p>");
        } else {
            b.append("<p class=\"back\"><a id=\"back-to-results\" href=\"/\">← Search</a></p>");
        }
        String title = Searcher.title(c);
        b.append("<h1 id=\"conversation-title\">").append(escape(title.isBlank() ? "Conversation" : title)).append("</h1>");
        b.append("<p class=\"conversation-id\">Conversation <span id=\"conversation-id\">").append(escape(c.conversationId()))
                .append("</span></p>");
        b.append("<table id=\"meta\" class=\"meta\"><tr><th>model</th><td id=\"model\">").append(escape(c.model()))
                .append("</td></tr><tr><th>language</th><td id=\"language\">").append(escape(c.language()))
                .append("</td></tr><tr><th>turns</th><td id=\"turns\">").append(c.turn())
                .append("</td></tr><tr><th>flagged</th><td id=\"flagged\">").append(c.flagged())
                .append("</td></tr><tr><th>redacted</th><td id=\"redacted\">").append(c.redacted())
                .append("</td></tr><tr><th>moderation</th><td id=\"moderation-source\" title=\"").append(escape(moderationSource.detail()))
                .append("\">").append(escape(moderationSource.label())).append("</td></tr></table>");
        b.append("<p>Share: <a id=\"share-link\" href=\"/c/").append(escape(id)).append("\">/c/").append(escape(id))
                .append("</a> <button id=\"copy-link\" type=\"button\">Copy link</button> · <a id=\"record-json\" href=\"/api/conversation/")
                .append(escape(id)).append("\">record (JSON)</a></p>");
        List<Moderation> mod = c.openaiModeration();
        int i = 0;
        for (Message m : c.conversation()) {
            String role = m.role();
            String roleClass = role.equals(Message.USER) || role.equals(Message.ASSISTANT) || role.equals(Message.SYSTEM) ? role : "other";
            b.append("<section class=\"msg ").append(roleClass).append("\" id=\"m").append(i).append("\"><h2 class=\"msg-head\">")
                    .append(escape(role)).append(" <span class=\"msg-index\">#").append(i + 1).append("</span></h2>");
            String text = m.content();
            if (text.length() > MESSAGE_DISPLAY_CHARS) {
                int cut = MESSAGE_DISPLAY_CHARS;
                if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                    cut--;
                }
                b.append("<p class=\"truncated\">This message has ").append(String.format(Locale.ROOT, "%,d", text.length()))
                        .append(" characters; the first ").append(String.format(Locale.ROOT, "%,d", cut))
                        .append(" are shown. The full text is in the JSON record and exports.</p>");
                text = text.substring(0, cut);
            }
            if (role.equals(Message.USER)) {
                b.append("<div class=\"content prompt\">").append(withNames(text)).append("</div>");
            } else {
                b.append("<div class=\"content md\">").append(markdownWithNames(text)).append("</div>");
            }
            if (i < mod.size()) {
                moderation(b, mod.get(i), moderationSource);
            }
            b.append("</section>");
            i++;
        }
        if (similar != null) {
            similarSection(b, similar);
        }
        return layout("conversation", "Conversation " + c.conversationId(), b.toString());
    }

    /**
     * The moderation of one message as a reader wants it: the flagged categories in one line, the
     * eleven scores only when asked for (a {@code <details>} that opens on click).
     */
    private static void moderation(StringBuilder b, Moderation x, ModerationSource source) {
        List<String> on = ModerationCategory.all().stream().filter(x::category).map(ModerationCategory::label).toList();
        b.append("<details class=\"moderation").append(x.flagged() ? " flagged" : "").append("\"><summary><span class=\"mod-flag\">")
                .append(x.flagged() ? "flagged" : "not flagged").append("</span>");
        if (!on.isEmpty()) {
            b.append(": <span class=\"mod-categories\">").append(escape(String.join(", ", on))).append("</span>");
        }
        b.append(" <span class=\"mod-more\">(scores)</span></summary><div class=\"mod-scores\">");
        for (ModerationCategory cat : ModerationCategory.all()) {
            b.append(" <span class=\"cat").append(x.category(cat) ? " on" : "").append("\" data-category=\"").append(cat.label())
                    .append("\">").append(cat.label()).append(' ')
                    .append(String.format(Locale.ROOT, "%.4f", x.score(cat))).append("</span>");
        }
        b.append(" <span class=\"mod-source\">— ").append(escape(source.label())).append("</span></div></details>");
    }

    /** The nearest conversations by the report's embeddings, each with its cosine similarity, linking to it. */
    private static void similarSection(StringBuilder b, SimilarSection s) {
        b.append("<section id=\"similar\"><h2>Similar conversations</h2>");
        if (s.note() != null) {
            b.append("<p class=\"note\" id=\"similar-note\">").append(escape(s.note())).append(".</p>");
        } else {
            b.append("<ol id=\"similar-list\">");
            for (Similar x : s.similar()) {
                b.append("<li><span class=\"similarity\" title=\"cosine similarity\">")
                        .append(String.format(Locale.ROOT, "%.2f", x.similarity())).append("</span><a class=\"similar-link\" data-id=\"")
                        .append(escape(x.id())).append("\" href=\"/c/").append(escape(pathSegment(x.id()))).append("\">")
                        .append(escape(x.title().isBlank() ? x.id() : x.title())).append("</a></li>");
            }
            b.append("</ol>");
        }
        b.append("<p class=\"note\">Cosine similarity of the conversations' prompt embeddings (").append(escape(s.model()))
                .append(") from the report of this release.</p></section>");
    }

    /**
     * An answer's Markdown as sanitized HTML, with NAME_n placeholders marked in its text, never
     * inside a tag or attribute: in the rendered HTML every '<' of the text is escaped, so a raw
     * '<' starts a tag and the next '>' ends it.
     */
    static String markdownWithNames(String text) {
        String html = MarkdownHtml.render(text);
        if (!NAME.matcher(text).find()) {
            return html;
        }
        StringBuilder b = new StringBuilder(html.length() + 64);
        int at = 0;
        while (at < html.length()) {
            int tag = html.indexOf('<', at);
            int textEnd = tag < 0 ? html.length() : tag;
            Matcher m = NAME.matcher(html).region(at, textEnd);
            int from = at;
            while (m.find()) {
                b.append(html, from, m.start()).append("<mark class=\"name\">").append(m.group()).append("</mark>");
                from = m.end();
            }
            b.append(html, from, textEnd);
            if (tag < 0) {
                break;
            }
            int close = html.indexOf('>', tag);
            int tagEnd = close < 0 ? html.length() : close + 1;
            b.append(html, tag, tagEnd);
            at = tagEnd;
        }
        return b.toString();
    }

    static String overview(JsonNode s, int indexed, String indexDir, boolean reused) {
        StringBuilder b = new StringBuilder("<h1>Overview</h1><h2>Basic Statistics</h2>");
        b.append("<table id=\"basic-statistics\"><thead><tr><th># Convs</th><th># Models</th><th># Users</th><th># Langs</th>"
                + "<th>Avg. # Turns per Sample</th><th>Avg. # Tokens per Prompt</th><th>Avg. # Tokens per Response</th></tr></thead><tbody><tr>");
        b.append("<td id=\"stat-conversations\">").append(String.format(Locale.ROOT, "%,d", s.path("conversations").asLong())).append("</td>")
                .append("<td>").append(s.path("models").asLong()).append("</td>")
                .append("<td>").append(s.path("users").isNumber() ? String.format(Locale.ROOT, "%,d", s.path("users").asLong()) : "n/a").append("</td>")
                .append("<td>").append(s.path("languages").asLong()).append("</td>")
                .append("<td>").append(String.format(Locale.ROOT, "%.2f", s.path("avg_turns").asDouble())).append("</td>")
                .append("<td>").append(number(s.path("avg_prompt_tokens"))).append("</td>")
                .append("<td>").append(number(s.path("avg_response_tokens"))).append("</td></tr></tbody></table>");
        b.append("<p class=\"note\">").append(String.format(Locale.ROOT, "%,d", indexed)).append(" conversations indexed in ")
                .append(escape(indexDir)).append(reused ? " (reused)" : "").append(". Token averages need a tokenizer: run ")
                .append("<code>chatcorpus stats</code>.");
        if (s.path("quarantined").asLong() > 0) {
            b.append(" Quarantined records: ").append(s.path("quarantined").asLong()).append('.');
        }
        b.append("</p><div class=\"pair\">");
        counts(b, "Conversations per model", "model", s.path("model_counts"));
        counts(b, "Conversations per language", "language", s.path("language_counts"));
        b.append("</div>");
        return layout("overview", "Overview", b.toString());
    }

    private static String number(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.1f", n.asDouble()) : "n/a";
    }

    private static void counts(StringBuilder b, String title, String filter, JsonNode counts) {
        b.append("<section><h2>").append(title).append("</h2><table class=\"counts\" id=\"counts-").append(filter).append("\">");
        Iterator<Map.Entry<String, JsonNode>> it = counts.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            b.append("<tr><td><a href=\"").append(escape("/?" + filter + "=" + URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)))
                    .append("\">").append(e.getKey().isEmpty() ? "<em>(empty)</em>" : escape(e.getKey())).append("</a></td><td>")
                    .append(String.format(Locale.ROOT, "%,d", e.getValue().asLong())).append("</td></tr>");
        }
        b.append("</table></section>");
    }
}
