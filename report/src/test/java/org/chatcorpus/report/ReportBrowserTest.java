package org.chatcorpus.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.tokenize.Cl100kTokenCounter;
import org.chatcorpus.server.web.HeadlessChrome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** Opens the report from disk in headless Chromium: every section and chart renders, no hostile script runs. */
class ReportBrowserTest {
    @TempDir
    Path tmp;

    private ChromeDriver driver;

    @AfterEach
    void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void reportOpensFromDiskWithEverySectionAndChartAndNoHostileScript() throws Exception {
        Path ts = ReportFixtures.jsonlWithTimestamps(tmp.resolve("ts.jsonl"), 600, 9, 5);
        Path hostile = ReportFixtures.hostileJsonl(tmp.resolve("hostile.jsonl"), 30);
        List<String> inputs = List.of(ts.toString(), hostile.toString());
        Path out = tmp.resolve("report");
        Report.generate(new DatasetReader(inputs, null), inputs, new Cl100kTokenCounter(), Quarantine.counting(),
                new Report.Options(4, 1000, 42, null, null, null), new ReportFixtures.HashingEmbedder(), out, false);
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        Set<String> charts = new HashSet<>();
        json.get("charts").fieldNames().forEachRemaining(charts::add);
        assertThat(charts).contains(ReportCharts.TOPIC_MAP, ReportCharts.DAYS, ReportCharts.PROMPT_TOKENS);

        driver = HeadlessChrome.start();
        driver.get(out.resolve("index.html").toUri().toString());
        assertThat(driver.getTitle()).isEqualTo("chatcorpus report");
        for (String id : ReportHtml.SECTIONS) {
            WebElement section = driver.findElement(By.id(id));
            assertThat(section.findElement(By.tagName("h2")).getText()).isEqualTo(ReportHtml.title(id));
        }
        List<WebElement> svgs = driver.findElements(By.cssSelector("svg.chart"));
        Set<String> rendered = new HashSet<>();
        for (WebElement svg : svgs) {
            rendered.add(svg.getAttribute("data-chart"));
            assertThat(svg.getSize().getWidth()).isGreaterThan(100);
        }
        assertThat(rendered).isEqualTo(charts);
        assertThat(driver.findElements(By.cssSelector("svg[data-chart='conversations-per-model'] g.bar")))
                .hasSize(json.get("stats").get("models").asInt());
        assertThat(driver.findElements(By.cssSelector("svg[data-chart='topic-map'] circle.point"))).isNotEmpty();
        // Hostile prompts and model names are shown as text, never run.
        assertThat(driver.executeScript("return typeof window.pwned")).isEqualTo("undefined");
        assertThat(driver.findElements(By.cssSelector("section script, section img"))).isEmpty();
        assertThat(driver.findElement(By.id("topics")).getText()).contains("<script>window.pwned=1</script>");

        File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path shot = Files.copy(png.toPath(), tmp.resolve("report.png"));
        assertThat(Files.size(shot)).isGreaterThan(10_000);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertThat(img.getWidth()).isGreaterThan(800);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(5);
    }
}
