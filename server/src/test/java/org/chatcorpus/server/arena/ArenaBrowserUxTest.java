package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import org.chatcorpus.server.web.HeadlessChrome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A user in headless Chromium meets a failing model in an anonymous battle (a neutral error, no
 * name anywhere on the page, votes held back, regenerate offered), sends with Enter, writes a
 * second line with Shift+Enter, and reads answers rendered as Markdown.
 */
class ArenaBrowserUxTest {
    @TempDir
    Path data;
    ScriptedModelServer models;
    ArenaApp app;
    ChromeDriver browser;
    String base;

    @BeforeEach
    void start() throws Exception {
        browser = HeadlessChrome.start();
        models = ScriptedModelServer.start(0);
        // Two models, one broken: every anonymous battle pairs them.
        List<ModelEndpoint> endpoints = List.of(new ModelEndpoint("broken-model", models.baseUrl(), null, null, 0.7, 64),
                new ModelEndpoint("koala-13b", models.baseUrl(), null, null, 0.7, 64));
        ArenaConfig cfg = ArenaConfig.defaults().withDataDir(data.toString()).withModels(endpoints);
        app = ArenaApp.start(ArenaService.open(cfg), "127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
        browser.get(base + "/");
        browser.findElement(By.id("accept")).click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("model")));
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
        if (models != null) {
            models.close();
        }
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    @Test
    void aFailedModelInAnAnonymousBattleShowsANeutralErrorAndRegenerate() {
        browser.get(base + "/battle");
        WebElement prompt = browser.findElement(By.id("prompt"));
        prompt.sendKeys("Tell me a joke");
        prompt.sendKeys(Keys.ENTER);
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".msg.assistant.failed")));
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("regenerate")));
        String failed = browser.findElement(By.cssSelector(".msg.assistant.failed")).getText();
        assertThat(failed).contains("could not answer").contains("Regenerate");
        String page = browser.getPageSource() + browser.findElement(By.tagName("body")).getText();
        assertThat(page).doesNotContainIgnoringCase("broken").doesNotContainIgnoringCase("koala").doesNotContain("HTTP 500");
        for (String vote : List.of("leftvote", "rightvote", "tievote", "bothbad_vote")) {
            assertThat(browser.findElement(By.id(vote)).isEnabled()).as(vote).isFalse();
        }
        // Regenerate asks again; the broken model fails again, still without a name.
        browser.findElement(By.id("regenerate")).click();
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("regenerate")));
        assertThat(browser.findElements(By.cssSelector(".msg.assistant"))).hasSize(2);
        assertThat(browser.getPageSource()).doesNotContainIgnoringCase("broken").doesNotContainIgnoringCase("koala");
    }

    @Test
    void enterSendsAndShiftEnterStartsANewLine() {
        browser.get(base + "/chat");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("model"))).selectByValue("koala-13b");
        WebElement prompt = browser.findElement(By.id("prompt"));
        prompt.sendKeys("first line");
        prompt.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
        prompt.sendKeys("second line");
        assertThat(browser.findElements(By.cssSelector(".msg"))).isEmpty();
        assertThat(prompt.getAttribute("value")).isEqualTo("first line\nsecond line");
        prompt.sendKeys(Keys.ENTER);
        waitUpTo(10).until(d -> d.findElements(By.cssSelector(".msg.assistant")).stream().anyMatch(e -> e.getText().contains("You said:")));
        assertThat(browser.findElement(By.cssSelector(".msg.user")).getText()).isEqualTo("first line\nsecond line");
        assertThat(browser.findElement(By.id("prompt")).getAttribute("value")).isEmpty();
    }

    @Test
    void answersAreRenderedAsSanitizedMarkdown() {
        browser.get(base + "/chat");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("model"))).selectByValue("koala-13b");
        WebElement prompt = browser.findElement(By.id("prompt"));
        prompt.sendKeys("**bold words** and `x<y` <img src=x onerror=\"document.title='pwned'\">");
        prompt.sendKeys(Keys.ENTER);
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".msg.assistant.md strong")));
        WebElement answer = browser.findElement(By.cssSelector(".msg.assistant.md"));
        assertThat(answer.findElement(By.tagName("strong")).getText()).isEqualTo("bold words");
        WebElement code = answer.findElement(By.tagName("code"));
        assertThat(code.getText()).isEqualTo("x<y");
        assertThat(code.getCssValue("font-family")).containsIgnoringCase("mono");
        assertThat(answer.findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.getTitle()).doesNotContain("pwned");
        // The share link points at this page with the chosen model.
        browser.findElement(By.id("share")).click();
        waitUpTo(5).until(ExpectedConditions.textMatches(By.id("status"), java.util.regex.Pattern.compile(".*/chat\\?model=koala-13b")));
    }
}
