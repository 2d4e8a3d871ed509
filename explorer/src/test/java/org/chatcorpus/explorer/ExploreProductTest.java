package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.server.web.HeadlessChrome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer as a reader meets it: results titled by their first prompt, answers rendered as
 * Markdown with code in monospace, moderation as flagged categories with scores on demand, a way
 * back to the results, a compact table, and a malformed query that is named, not silently guessed.
 */
class ExploreProductTest {
    private static final String CODE_ANSWER = "Here is how:\n\n```python\nprint('hello')\n```\n\nUse **print** for output.";

    @TempDir
    Path tmp;
    ExplorerApp app;
    ChromeDriver browser;
    String base;

    static List<Conversation> corpus() {
        List<Conversation> out = new ArrayList<>();
        boolean[] cats = new boolean[ModerationCategory.all().size()];
        double[] scores = new double[cats.length];
        cats[ModerationCategory.all().indexOf(ModerationCategory.HARASSMENT)] = true;
        scores[ModerationCategory.all().indexOf(ModerationCategory.HARASSMENT)] = 0.91;
        Moderation flagged = new Moderation(cats, scores, true);
        out.add(new Conversation("c-code", "vicuna-13b", List.of(Message.user("How do I print in Python?\nPlease be brief."),
                Message.assistant(CODE_ANSWER)), 1, "English", List.of(flagged, Moderation.clean()), false, null, null));
        for (int i = 0; i < 30; i++) {
            out.add(new Conversation("c-" + i, "koala-13b", List.of(Message.user("Tell me about python number " + i),
                    Message.assistant("Python is a language. " + i)), 1, "English", List.of(Moderation.clean(), Moderation.clean()),
                    false, null, null));
        }
        return out;
    }

    @BeforeEach
    void start() throws Exception {
        Path file = tmp.resolve("corpus.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(file, false)) {
            for (Conversation c : corpus()) {
                w.write(c);
            }
        }
        app = ExplorerApp.start(ExplorerIndex.openOrBuild(List.of(file.toString()), null, tmp.resolve("index"), Progress.silent("t"),
                new PrintStream(new ByteArrayOutputStream())), "127.0.0.1", 0, Map.of("0", "python, code, print"));
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    @Test
    void aMalformedQueryIsA400OnTheApiAndANoteOnThePage() throws Exception {
        HttpResponse<String> api = ExploreFixtures.get(base + "/api/search?q=" + URLEncoder.encode("a AND (", StandardCharsets.UTF_8));
        assertThat(api.statusCode()).isEqualTo(400);
        assertThat(api.body()).contains("cannot parse the query").contains("Cannot parse");
        HttpResponse<String> ok = ExploreFixtures.get(base + "/api/search?q=" + URLEncoder.encode("python AND (print OR number)", StandardCharsets.UTF_8));
        assertThat(ok.statusCode()).isEqualTo(200);
        HttpResponse<String> page = ExploreFixtures.get(base + "/?q=" + URLEncoder.encode("a AND (", StandardCharsets.UTF_8));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"query-note\"").contains("not valid search syntax");
    }

    @Test
    void resultsAreTitledByTheFirstPromptAndLeadToARenderedConversationAndBack() throws Exception {
        browser = HeadlessChrome.start();
        browser.get(base + "/?q=print");
        WebElement hit = waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#hits .hit-link[data-id='c-code']")));
        assertThat(hit.getText()).isEqualTo("How do I print in Python? Please be brief.");
        hit.click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("conversation-title")));
        assertThat(browser.findElement(By.id("conversation-title")).getText()).isEqualTo("How do I print in Python? Please be brief.");

        // The answer's Markdown: a code block in monospace, bold text; the prompt stays as typed.
        WebElement code = browser.findElement(By.cssSelector(".msg.assistant .content pre code"));
        assertThat(code.getText()).isEqualTo("print('hello')");
        assertThat(code.getCssValue("font-family")).containsIgnoringCase("mono");
        assertThat(browser.findElement(By.cssSelector(".msg.assistant .content strong")).getText()).isEqualTo("print");
        assertThat(browser.findElement(By.cssSelector(".msg.user .content")).getText()).contains("How do I print in Python?");

        // Moderation: the flagged category in one line, the eleven scores hidden until asked for.
        WebElement mod = browser.findElement(By.cssSelector(".msg.user .moderation"));
        assertThat(mod.findElement(By.tagName("summary")).getText()).contains("flagged").contains("harassment");
        WebElement score = mod.findElement(By.cssSelector(".cat[data-category='violence']"));
        assertThat(score.isDisplayed()).isFalse();
        mod.findElement(By.tagName("summary")).click();
        assertThat(score.isDisplayed()).isTrue();

        // Back to the results, with the query kept.
        browser.findElement(By.id("back-to-results")).click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("q")));
        assertThat(browser.findElement(By.id("q")).getAttribute("value")).isEqualTo("print");
    }

    @Test
    void theCompactTableShowsOneLinePerResultAndIsRemembered() throws Exception {
        browser = HeadlessChrome.start();
        browser.get(base + "/?q=python");
        WebElement toggle = waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("compact-toggle")));
        WebElement snippet = browser.findElement(By.cssSelector("#hits .snippet"));
        assertThat(snippet.isDisplayed()).isTrue();
        toggle.click();
        assertThat(browser.findElement(By.id("results")).getAttribute("class")).contains("compact");
        assertThat(browser.findElement(By.cssSelector("#hits .snippet")).isDisplayed()).isFalse();
        browser.get(base + "/?q=language");
        waitUpTo(10).until(ExpectedConditions.attributeContains(By.id("results"), "class", "compact"));
    }

    @Test
    void topicFacetValuesCarryTheirKeywords() throws Exception {
        String page = ExplorerPages.search(SearchRequest.parse(Map.of()),
                new Searcher.Result(3, List.of(), Map.of("topic", Map.of("0", 3L))), 3, null, Map.of("0", "python, code, print"));
        assertThat(page).contains("data-value=\"0\"").contains("<span class=\"topic-words\">python, code, print</span>");
    }
}
