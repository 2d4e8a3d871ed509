package org.chatcorpus.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.tokenize.Cl100kTokenCounter;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's charts read well: counts are ticked in whole numbers, log axes carry enough
 * labels, no text is under 12 px, every mark has hover text, and topic examples link to the
 * explorer serving the same release.
 */
class ReportReadabilityTest {
    @TempDir
    static Path tmp;
    static Path out;

    @BeforeAll
    static void report() throws Exception {
        Path ts = ReportFixtures.jsonlWithTimestamps(tmp.resolve("ts.jsonl"), 700, 9, 5);
        List<String> inputs = List.of(ts.toString());
        out = tmp.resolve("report");
        Report.generate(new DatasetReader(inputs, null), inputs, new Cl100kTokenCounter(), Quarantine.counting(),
                new Report.Options(3, 1000, 42, null, null, null, "http://127.0.0.1:7870/"), new ReportFixtures.HashingEmbedder(), out,
                false);
    }

    private static List<Document> charts() throws Exception {
        try (var files = Files.list(out.resolve("charts"))) {
            return files.sorted().map(p -> {
                try {
                    return Jsoup.parse(Files.readString(p), "", Parser.xmlParser());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void countAxesAreTickedInWholeNumbers() throws Exception {
        int axes = 0;
        for (Document svg : charts()) {
            for (Element label : svg.select("text.y-tick-label")) {
                assertThat(label.text()).as(svg.selectFirst("svg").attr("data-chart")).matches("\\d+|\\d+k|\\d+\\.\\dM");
                axes++;
            }
        }
        assertThat(axes).isPositive();
        assertThat(SvgChart.countStep(565.5 / 4)).isEqualTo(200);
        assertThat(SvgChart.countStep(0.75)).isEqualTo(1);
    }

    @Test
    void logAxesHaveAtLeastThreeLabels() throws Exception {
        assertThat(SvgChart.logTicks(1, 40)).containsExactly(1.0, 2.0, 5.0, 10.0, 20.0);
        assertThat(SvgChart.logTicks(1, 100_000)).containsExactly(1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0);
        int logCharts = 0;
        for (Document svg : charts()) {
            if (!svg.select("text.x-tick-label").isEmpty()) {
                logCharts++;
                assertThat(svg.select("text.x-tick-label")).as(svg.selectFirst("svg").attr("data-chart")).hasSizeGreaterThanOrEqualTo(3);
            }
        }
        assertThat(logCharts).isPositive();
    }

    @Test
    void noChartTextIsSmallerThanTwelvePixels() throws Exception {
        for (Document svg : charts()) {
            for (Element t : svg.select("text")) {
                assertThat(Integer.parseInt(t.attr("font-size"))).as(t.outerHtml()).isGreaterThanOrEqualTo(12);
            }
        }
    }

    @Test
    void everyMarkHasHoverTextIncludingTheTopicMap() throws Exception {
        int marks = 0;
        for (Document svg : charts()) {
            for (Element mark : svg.select("g.bar rect, circle.point, g.legend rect")) {
                assertThat(mark.selectFirst("title")).as(mark.outerHtml()).isNotNull();
                assertThat(mark.selectFirst("title").text()).isNotBlank();
                marks++;
            }
        }
        assertThat(marks).isPositive();
        Document map = Jsoup.parse(Files.readString(out.resolve("charts/" + ReportCharts.TOPIC_MAP + ".svg")), "", Parser.xmlParser());
        assertThat(map.select("circle.point title")).isNotEmpty();
    }

    @Test
    void topicExamplesLinkToTheExplorer() throws Exception {
        Document page = Jsoup.parse(Files.readString(out.resolve("index.html")));
        List<String> links = page.select("#topics a.example-link").eachAttr("href");
        assertThat(links).isNotEmpty().allMatch(h -> h.startsWith("http://127.0.0.1:7870/c/"));
    }
}
