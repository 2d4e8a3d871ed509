package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

/** In headless Chromium, a conversation page lists its similar conversations with their similarity, each a link to it. */
class ExploreSimilarBrowserTest {
    @TempDir
    Path tmp;
    ChromeDriver browser;
    ExplorerApp app;
    SimilarFixture fx;

    @BeforeEach
    void start() throws Exception {
        browser = HeadlessChrome.start();
        fx = new SimilarFixture(tmp, 200, 12);
        app = fx.start();
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

    @Test
    void theConversationPageListsSimilarConversationsWithTheirSimilarity() throws Exception {
        String base = "http://127.0.0.1:" + app.port();
        String id = fx.floatVectors.firstKey();
        browser.get(base + "/c/" + ExplorerPages.pathSegment(id));
        WebElement section = browser.findElement(By.id("similar"));
        assertThat(section.findElement(By.tagName("h2")).getText()).isEqualTo("Similar conversations");
        List<WebElement> items = browser.findElements(By.cssSelector("#similar-list li"));
        assertThat(items).hasSize(ExplorerApp.PAGE_SIMILAR);
        double previous = 2;
        for (WebElement li : items) {
            String shown = li.findElement(By.className("similarity")).getText();
            assertThat(shown).matches("-?[01]\\.\\d\\d");
            String other = li.findElement(By.className("similar-link")).getAttribute("data-id");
            assertThat(Double.parseDouble(shown)).isCloseTo(fx.cosine(id, other), offset(0.025)).isLessThanOrEqualTo(previous);
            previous = Double.parseDouble(shown);
        }
        // The first is (within int8 rounding) the nearest, and its link opens it.
        WebElement first = items.get(0).findElement(By.className("similar-link"));
        String firstId = first.getAttribute("data-id");
        assertThat(fx.cosine(id, firstId)).isCloseTo(fx.bestCosine(id), offset(0.02));
        assertThat(first.getText()).isEqualTo(Searcher.title(fx.conversations.get(firstId)));
        first.click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("conversation-id"), firstId));
        assertThat(browser.findElements(By.cssSelector("#similar-list li"))).isNotEmpty();

        // A conversation outside the report's sample says why it has none.
        String outside = fx.conversations.keySet().stream().filter(c -> !fx.floatVectors.containsKey(c)).sorted().findFirst().orElseThrow();
        browser.get(base + "/c/" + ExplorerPages.pathSegment(outside));
        assertThat(browser.findElement(By.id("similar-note")).getText()).contains("topic sample");
        assertThat(browser.findElements(By.cssSelector("#similar-list li"))).isEmpty();
    }
}
