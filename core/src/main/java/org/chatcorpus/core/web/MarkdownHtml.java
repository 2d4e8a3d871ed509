package org.chatcorpus.core.web;

import java.util.List;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Markdown of untrusted text (model answers, prompts) as safe HTML, the way chat sites show it:
 * CommonMark with GFM tables, fenced code as {@code <pre><code class="language-x">}. Two locks on
 * the door: the renderer escapes any raw HTML in the text and drops unsafe link schemes, and the
 * result is then cleaned by jsoup against an allow-list of formatting tags (no attributes but
 * href on links and the language class on code), so no markup from a conversation can run.
 */
public final class MarkdownHtml {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
            .escapeHtml(true).sanitizeUrls(true).softbreak("<br>\n").build();
    private static final Safelist ALLOWED = Safelist.relaxed()
            .removeTags("img") // no requests to third parties from a conversation's text
            .addAttributes("code", "class")
            .addEnforcedAttribute("a", "rel", "nofollow noopener")
            .addProtocols("a", "href", "http", "https", "mailto")
            .preserveRelativeLinks(false);
    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings().prettyPrint(false);

    private MarkdownHtml() {
    }

    /** Safe HTML for the Markdown text; links open as plain links with rel="nofollow noopener". */
    public static String render(String markdown) {
        if (markdown == null || markdown.isEmpty()) {
            return "";
        }
        String html = RENDERER.render(PARSER.parse(markdown));
        return Jsoup.clean(html, "", ALLOWED, OUTPUT); // the Safelist is only read here, so one instance serves all threads
    }
}
