package org.chatcorpus.core.web;

import java.util.List;
import java.util.Set;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Markdown of untrusted text (model answers, prompts) as safe HTML, the way chat sites show it:
 * CommonMark with GFM tables, fenced code as {@code <pre><code class="language-x">}. Two locks on
 * the door: the renderer escapes any raw HTML in the text, drops unsafe link schemes and shows
 * images as their alt text (a conversation never makes the reader's browser fetch anything), and
 * the result must then pass jsoup's check against an allow-list of formatting tags; anything that
 * does not is cleaned by jsoup instead. Links get rel="nofollow noopener".
 */
public final class MarkdownHtml {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
            .escapeHtml(true).sanitizeUrls(true).softbreak("<br>\n")
            .nodeRendererFactory(ImageAsText::new)
            .attributeProviderFactory(ctx -> (node, tag, attributes) -> {
                if (node instanceof Link) {
                    attributes.put("rel", "nofollow noopener");
                }
            })
            .build();
    private static final Safelist ALLOWED = Safelist.relaxed()
            .removeTags("img")
            .addAttributes("code", "class")
            .addAttributes("a", "rel")
            .addAttributes("th", "align")
            .addAttributes("td", "align")
            .addProtocols("a", "href", "http", "https", "mailto")
            .preserveRelativeLinks(false);
    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings().prettyPrint(false);

    private MarkdownHtml() {
    }

    /** Safe HTML for the Markdown text. */
    public static String render(String markdown) {
        if (markdown == null || markdown.isEmpty()) {
            return "";
        }
        String html = RENDERER.render(PARSER.parse(markdown));
        // The renderer's own output keeps quotes in text escaped; jsoup only steps in if something is off the list.
        return Jsoup.isValid(html, ALLOWED) ? html : Jsoup.clean(html, "", ALLOWED, OUTPUT);
    }

    /** Renders an image as its alt text. */
    private static final class ImageAsText implements NodeRenderer {
        private final HtmlNodeRendererContext context;

        ImageAsText(HtmlNodeRendererContext context) {
            this.context = context;
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Image.class);
        }

        @Override
        public void render(Node node) {
            for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
                context.render(child);
            }
        }
    }
}
