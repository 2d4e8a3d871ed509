package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.server.web.HeadlessChrome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A user in headless Chromium searches, filters, opens a conversation and exports; hostile text never runs. */
class ExploreBrowserTest {
    @TempDir
    Path tmp;
    ExplorerApp app;
    ChromeDriver browser;
    String base;

    @BeforeEach
    void start() throws Exception {
        browser = HeadlessChrome.start();
        Path release = ExploreFixtures.release(tmp.resolve("release"), 1500, 21);
        Path hostile = HostileCorpus.write(tmp.resolve("hostile.jsonl"));
        app = ExplorerApp.start(ExplorerIndex.openOrBuild(List.of(release.toString(), hostile.toString()), null, tmp.resolve("index"),
                Progress.silent("t"), new PrintStream(new ByteArrayOutputStream())), "127.0.0.1", 0);
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

    private long total() {
        return Long.parseLong(browser.findElement(By.id("total")).getAttribute("data-total"));
    }

    private void assertNothingRan() {
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(browser.executeScript("return typeof window.pwned")).isEqualTo("undefined");
    }

    @Test
    void searchFilterOpenAndExport() throws Exception {
        browser.get(base + "/");
        assertThat(total()).isEqualTo(1500 + HostileCorpus.conversations().size());
        WebElement q = browser.findElement(By.id("q"));
        q.sendKeys("zebrafish", Keys.ENTER);
        waitUpTo(10).until(ExpectedConditions.urlContains("q=zebrafish"));
        long all = total();
        assertThat(all).isPositive().isLessThan(1500);
        assertThat(browser.findElements(By.cssSelector("#hits .hit mark"))).isNotEmpty();

        // Filter by the most frequent model: the count beside it becomes the total.
        WebElement model = browser.findElement(By.cssSelector("section[data-facet=model] a.facet-value"));
        String modelName = model.getAttribute("data-value");
        long expected = Long.parseLong(model.findElement(By.xpath("following-sibling::span[@class='count']")).getText().replace(",", ""));
        model.click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("active-filters")));
        assertThat(total()).isEqualTo(expected);
        assertThat(browser.findElements(By.cssSelector("#hits .hit .meta"))).allSatisfy(m -> assertThat(m.getText()).startsWith(modelName));

        // Role filter from its select, then back to any.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("role"))).selectByValue("user");
        waitUpTo(10).until(ExpectedConditions.urlContains("role=user"));
        assertThat(total()).isLessThanOrEqualTo(expected);
        browser.navigate().back();
        waitUpTo(10).until(d -> !d.getCurrentUrl().contains("role=user"));

        // Export what is shown.
        String exportUrl = browser.findElement(By.id("export-jsonl")).getAttribute("href");
        HttpResponse<String> jsonl = ExploreFixtures.get(exportUrl);
        assertThat(jsonl.body().lines().count()).isEqualTo(total());
        String parquetUrl = browser.findElement(By.id("export-parquet")).getAttribute("href");
        assertThat(ExploreFixtures.getBytes(parquetUrl).statusCode()).isEqualTo(200);

        // Open the first hit: its messages, moderation and a shareable link.
        WebElement first = browser.findElement(By.cssSelector("#hits .hit-link"));
        String id = first.getAttribute("data-id");
        first.click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("conversation-id")));
        assertThat(browser.findElement(By.id("conversation-id")).getText()).isEqualTo(id);
        assertThat(browser.findElement(By.id("model")).getText()).isEqualTo(modelName);
        assertThat(browser.findElements(By.cssSelector(".msg"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector(".msg .moderation .cat"))).isNotEmpty();
        String share = browser.findElement(By.id("share-link")).getAttribute("href");
        assertThat(share).isEqualTo(base + "/c/" + id);
        browser.get(share);
        assertThat(browser.findElement(By.id("conversation-id")).getText()).isEqualTo(id);

        browser.get(base + "/overview");
        assertThat(browser.findElement(By.id("stat-conversations")).getText()).isEqualTo("1,509");
        assertNothingRan();
    }

    @Test
    void hostileTextIsShownAsTextAndNeverRuns() throws Exception {
        browser.get(base + "/?q=pwned");
        assertThat(total()).isEqualTo(HostileCorpus.conversations().size());
        assertNothingRan();
        assertThat(browser.findElements(By.cssSelector("main img, main svg, main iframe, main b"))).isEmpty();
        for (WebElement facet : browser.findElements(By.cssSelector("section[data-facet=model] a.facet-value"))) {
            assertThat(facet.getText()).doesNotContain("&lt;");
        }
        for (Conversation c : HostileCorpus.conversations()) {
            browser.get(base + "/c/" + ExplorerPages.pathSegment(c.conversationId()));
            assertNothingRan();
            assertThat(browser.findElement(By.id("conversation-id")).getText()).isEqualTo(c.conversationId());
            assertThat(browser.findElements(By.cssSelector("main img, main svg, main iframe, main b, main a[href^=javascript]"))).isEmpty();
            if (c.conversationId().startsWith("hostile-") && !c.conversationId().equals("hostile-huge")) {
                int i = Integer.parseInt(c.conversationId().substring("hostile-".length()));
                assertThat(browser.findElements(By.cssSelector(".msg .content")).get(0).getText())
                        .isEqualTo("pwned question " + HostileCorpus.PAYLOADS.get(i));
                assertThat(browser.findElement(By.id("model")).getText()).isEqualTo("model " + HostileCorpus.PAYLOADS.get(i));
                assertThat(browser.findElements(By.cssSelector("mark.name"))).extracting(WebElement::getText).contains("NAME_2");
            }
        }
        browser.get(base + "/c/hostile-huge");
        assertThat(browser.findElement(By.cssSelector(".truncated")).getText()).contains("first 100,000");
        assertNothingRan();
    }
}
