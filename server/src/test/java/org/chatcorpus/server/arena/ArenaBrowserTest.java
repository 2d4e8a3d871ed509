package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import org.chatcorpus.server.web.HeadlessChrome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A user in headless Chromium accepts the terms, chats, battles, votes and reads the leaderboard. */
class ArenaBrowserTest {
    private static final String HOSTILE = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>";

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
        ArenaConfig cfg = ArenaConfig.defaults().withDataDir(data.toString()).withModels(ArenaConfig.scriptedModels(models.baseUrl()));
        app = ArenaApp.start(ArenaService.open(cfg), "127.0.0.1", 0);
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
        if (models != null) {
            models.close();
        }
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private void acceptTerms() {
        browser.get(base + "/");
        browser.findElement(By.id("accept")).click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("model")));
    }

    @Test
    void chatShowsTheStreamedAnswerAndEscapesHostileText() throws Exception {
        acceptTerms();
        browser.findElement(By.id("prompt")).sendKeys(HOSTILE);
        browser.findElement(By.id("send")).click();
        waitUpTo(10).until(d -> d.findElements(By.cssSelector(".msg.assistant")).stream()
                .anyMatch(e -> e.getText().contains("You said:")));
        List<String> texts = browser.findElements(By.cssSelector(".msg")).stream().map(e -> e.getText()).toList();
        assertThat(texts.get(0)).isEqualTo(HOSTILE); // shown as text, not markup
        assertThat(browser.getTitle()).doesNotContain("pwned");
        assertThat(browser.findElements(By.cssSelector(".messages img"))).isEmpty();
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("upvote"))).click();
        waitUpTo(5).until(ExpectedConditions.textToBe(By.id("status"), "Thanks for your vote."));
        // Thanks are not an error: not in the error colour.
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).isEqualTo("ok");
        assertThat(browser.findElement(By.id("status")).getCssValue("color")).isNotEqualTo("rgba(138, 28, 28, 1)");
    }

    @Test
    void battleVoteRevealsTheModelsAndTheLeaderboardCountsIt() throws Exception {
        acceptTerms();
        browser.get(base + "/battle");
        browser.findElement(By.id("prompt")).sendKeys("Which is heavier, a kilo of feathers or a kilo of steel?");
        browser.findElement(By.id("send")).click();
        waitUpTo(10).until(d -> d.findElements(By.cssSelector("#messages-a .msg.assistant, #messages-b .msg.assistant")).stream()
                .filter(e -> e.getText().contains("You said:")).count() == 2);
        assertThat(browser.findElement(By.id("name-a")).getText()).isEqualTo("Model A");
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("leftvote"))).click();
        waitUpTo(5).until(ExpectedConditions.textMatches(By.id("name-a"), java.util.regex.Pattern.compile("Model A: .+")));
        String a = browser.findElement(By.id("name-a")).getText().substring("Model A: ".length());
        String b = browser.findElement(By.id("name-b")).getText().substring("Model B: ".length());
        assertThat(app.service().modelNames()).contains(a, b);
        assertThat(a).isNotEqualTo(b);

        app.invalidateLeaderboard();
        browser.get(base + "/leaderboard");
        assertThat(browser.findElement(By.id("battle-count")).getText()).isEqualTo("1");
        assertThat(browser.findElements(By.cssSelector("#leaderboard .votes-count"))).extracting(e -> e.getText()).containsOnly("1");
        assertThat(browser.findElements(By.cssSelector("#leaderboard tr.preliminary"))).hasSize(2);
        List<String> ranked = browser.findElements(By.cssSelector("#leaderboard tbody tr td:nth-child(2) .model-name")).stream().map(e -> e.getText()).toList();
        assertThat(ranked).containsExactlyInAnyOrder(a, b);
        assertThat(ranked.get(0)).isEqualTo(a); // the winner ranks first
        Path shot = data.resolve("leaderboard.png");
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(shot)).isGreaterThan(5_000);
    }

    @Test
    void sideBySideUsesTheChosenModels() throws Exception {
        acceptTerms();
        browser.get(base + "/side-by-side");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("model-a"))).selectByValue("chatglm-6b");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("model-b"))).selectByValue("llama-13b");
        browser.findElement(By.id("prompt")).sendKeys("Hello both");
        browser.findElement(By.id("send")).click();
        String expectedA = ScriptedModelServer.answer("chatglm-6b", "Hello both");
        waitUpTo(10).until(d -> d.findElements(By.cssSelector("#messages-a .msg.assistant")).stream().anyMatch(e -> e.getText().equals(expectedA)));
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("tievote"))).click();
        waitUpTo(5).until(ExpectedConditions.textToBe(By.id("name-b"), "Model B: llama-13b"));
    }
}
