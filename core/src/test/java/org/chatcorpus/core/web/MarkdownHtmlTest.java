package org.chatcorpus.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownHtmlTest {
    @Test
    void rendersEmphasisCodeFencesAndTables() {
        String html = MarkdownHtml.render("Use **care**:\n\n```python\nprint('<hi>')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assertThat(html).contains("<strong>care</strong>")
                .contains("<pre><code class=\"language-python\">print('&lt;hi&gt;')")
                .contains("<table>").contains("<td>1</td>");
    }

    @Test
    void rawHtmlScriptsHandlersAndJavascriptLinksNeverSurvive() {
        String html = MarkdownHtml.render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> "
                + "[click](javascript:alert(1)) <a href=\"https://e.org\" onclick=\"x()\">a</a> ![i](https://e.org/i.png)");
        // What a browser would build from it: no script or image element, no handler attribute, no javascript: link.
        org.jsoup.nodes.Document doc = org.jsoup.Jsoup.parseBodyFragment(html);
        assertThat(doc.select("script, img, iframe, svg, style")).isEmpty();
        assertThat(doc.getAllElements()).allSatisfy(e -> assertThat(e.attributes().asList())
                .noneMatch(a -> a.getKey().startsWith("on") || a.getValue().toLowerCase().contains("javascript")));
        assertThat(html).contains("&lt;script&gt;"); // shown as text, as typed
    }

    @Test
    void linksGetNofollowAndEmptyTextIsEmpty() {
        assertThat(MarkdownHtml.render("[site](https://example.org)")).contains("href=\"https://example.org\"").contains("rel=\"nofollow noopener\"");
        assertThat(MarkdownHtml.render("")).isEmpty();
        assertThat(MarkdownHtml.render(null)).isEmpty();
    }
}
