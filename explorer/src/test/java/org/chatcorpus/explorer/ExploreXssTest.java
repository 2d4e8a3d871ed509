package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.web.Html;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile text goes through the index and every page; no page may carry it unescaped. */
class ExploreXssTest {
    @TempDir
    Path tmp;
    ExplorerApp app;
    String base;

    @BeforeEach
    void start() throws Exception {
        Path data = HostileCorpus.write(tmp.resolve("hostile.jsonl"));
        app = ExplorerApp.start(ExplorerIndex.openOrBuild(List.of(data.toString()), null, tmp.resolve("index"), Progress.silent("t"),
                new PrintStream(new ByteArrayOutputStream())), "127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void noPageCarriesAPayloadUnescaped() throws Exception {
        List<String> urls = new ArrayList<>(List.of("/", "/?q=pwned", "/?q=script", "/?q=onerror", "/?q=window", "/?q=javascript",
                "/?q=pwned&role=other", "/?q=" + enc(HostileCorpus.HUGE_MARKER), "/overview", "/?q=pwned&sort=length",
                "/?flagged=" + enc(HostileCorpus.PAYLOADS.get(0)), "/c/" + enc(HostileCorpus.PAYLOADS.get(1)), "/nothing-here"));
        for (String p : HostileCorpus.PAYLOADS) {
            urls.add("/?q=" + enc(p));
            urls.add("/?model=" + enc("model " + p));
            urls.add("/?language=" + enc("lang " + p) + "&q=pwned");
        }
        for (Conversation c : HostileCorpus.conversations()) {
            urls.add("/c/" + ExplorerPages.pathSegment(c.conversationId()));
        }
        for (String u : urls) {
            HttpResponse<String> r = ExploreFixtures.get(base + u);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(u).contains(Html.CONTENT_SECURITY_POLICY);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(u).contains("nosniff");
            HostileCorpus.assertSafe(u, r.body());
        }
        // The hostile pages are really served (not just errors) and show the text escaped.
        HttpResponse<String> model = ExploreFixtures.get(base + "/?model=" + enc("model " + HostileCorpus.PAYLOADS.get(0)));
        assertThat(model.body()).contains("data-total=\"1\"").contains(Html.escape("model " + HostileCorpus.PAYLOADS.get(0)));
        HttpResponse<String> conv = ExploreFixtures.get(base + "/c/hostile-1");
        assertThat(conv.statusCode()).isEqualTo(200);
        assertThat(conv.body()).contains(Html.escape(HostileCorpus.PAYLOADS.get(1)));
        assertThat(conv.body()).contains("<mark class=\"name\">NAME_2</mark>");
        HttpResponse<String> oddId = ExploreFixtures.get(base + "/c/" + ExplorerPages.pathSegment("\"><svg onload=\"window.pwned=8\">"));
        assertThat(oddId.statusCode()).isEqualTo(200);
    }

    @Test
    void hugeMessagesAreTruncatedForDisplayButKeptWhole() throws Exception {
        HttpResponse<String> page = ExploreFixtures.get(base + "/c/hostile-huge");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("class=\"truncated\"").contains(HostileCorpus.HUGE_MARKER);
        assertThat(page.body().length()).isLessThan(ExplorerPages.MESSAGE_DISPLAY_CHARS + 20_000);
        HttpResponse<String> json = ExploreFixtures.get(base + "/api/conversation/hostile-huge");
        assertThat(json.body().length()).isGreaterThan(HostileCorpus.HUGE_CHARS);
        HttpResponse<String> search = ExploreFixtures.get(base + "/api/search?q=" + HostileCorpus.HUGE_MARKER);
        assertThat(search.body()).contains("\"total\":1");
        assertThat(search.body().length()).isLessThan(2_000);
    }

    @Test
    void apiAnswersAreJsonNeverHtml() throws Exception {
        for (String u : List.of("/api/search?q=pwned", "/api/conversation/hostile-0", "/api/health", "/api/search?flagged=x",
                "/api/conversation/" + enc("<script>"))) {
            HttpResponse<String> r = ExploreFixtures.get(base + u);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(u).startsWith("application/json");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(u).contains("nosniff");
        }
    }
}
