package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The explorer against DNS rebinding, vocabulary-scanning queries and export floods, over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExploreHardeningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 600;

    @TempDir
    static Path tmp;
    ExplorerIndex index;
    ExplorerApp app;
    String base;

    @BeforeAll
    void start() throws Exception {
        Path release = ExploreFixtures.release(tmp.resolve("release"), N, 5);
        index = ExplorerIndex.openOrBuild(List.of(release.toString()), null, tmp.resolve("index"), Progress.silent("t"),
                new PrintStream(new ByteArrayOutputStream()));
        app = ExplorerApp.start(index, "127.0.0.1", 0, new ExplorerApp.Options(Set.of("corpus.lab.example"), 1));
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    /** One GET with exactly this Host header (the JDK's HTTP client will not send a chosen Host); status line and body. */
    private String[] getWithHost(String path, String host) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port()), 5_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            return new String[] {text.substring(0, text.indexOf("\r\n")), text.substring(split + 4)};
        }
    }

    @Test
    void aForeignHostNameIsRefusedWithAOneLineReason() throws Exception {
        for (String path : List.of("/", "/api/search?q=zebrafish", "/api/health", "/static/explorer.css", "/export?q=zebrafish")) {
            String[] r = getWithHost(path, "rebind.attacker.example:" + app.port());
            assertThat(r[0]).as(path).contains(" 403 ");
            assertThat(r[1]).as(path).contains("rebind.attacker.example:" + app.port()).contains("is not one this explorer answers to")
                    .contains("--allow-host rebind.attacker.example");
        }
        assertThat(getWithHost("/api/search?q=zebrafish", "rebind.attacker.example")[1]).startsWith("{\"error\":");
    }

    @Test
    void loopbackNamesAndAllowedNamesAreServed() throws Exception {
        for (String host : List.of("127.0.0.1:" + app.port(), "localhost:" + app.port(), "[::1]:" + app.port(), "LOCALHOST",
                "corpus.lab.example", "corpus.lab.example:" + app.port())) {
            assertThat(getWithHost("/api/health", host)[0]).as(host).contains(" 200 ");
        }
    }

    @Test
    void regularExpressionsAndWildcardsWithoutAFixedStartAre400() throws Exception {
        for (String q : List.of("/.*/", "/.*fish/", "/[a-z]+/", "/ze|.*/", "/(z|y).*/", "z*", "z?ebrafish", "model_name:/.*/")) {
            HttpResponse<String> r = ExploreFixtures.get(base + "/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").asText()).as(q).contains("would scan every word").contains("at least 2 fixed characters");
        }
        long zebrafish = total("zebrafish");
        assertThat(zebrafish).isPositive();
        assertThat(total("/zebraf.*/")).isEqualTo(zebrafish);
        assertThat(total("zebraf*")).isEqualTo(zebrafish);
        assertThat(total("zebrafi?h")).isEqualTo(zebrafish);
    }

    @Test
    void aRegularExpressionTooComplexToCompileIs400() throws Exception {
        HttpResponse<String> r = ExploreFixtures.get(base + "/api/search?q=" + URLEncoder.encode("/ab[ab]*a[ab]{24}/", StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("too complex");
    }

    @Test
    void aQueryHoldsAtMostFourExpandingTerms() throws Exception {
        assertThat(ExploreFixtures.get(base + "/api/search?q=" + URLEncoder.encode("ze* sw* qu* fa*", StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> r = ExploreFixtures.get(base + "/api/search?q=" + URLEncoder.encode("ze* sw* qu* fa* th*", StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("more than 4");
    }

    @Test
    void anExportBeyondTheLimitIs429WithRetryAfterAndTheNextOneRuns() throws Exception {
        app.exports.acquire(); // an export in progress (the limit here is 1)
        try {
            HttpResponse<String> busy = ExploreFixtures.get(base + "/export?format=jsonl");
            assertThat(busy.statusCode()).isEqualTo(429);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(busy.body()).contains("try again in a few seconds");
            assertThat(ExploreFixtures.get(base + "/api/search?q=zebrafish").statusCode()).as("searches still answer").isEqualTo(200);
        } finally {
            app.exports.release();
        }
        assertThat(ExploreFixtures.get(base + "/export?format=jsonl").body().lines().count()).isEqualTo(N);
    }

    /** Parallel full exports: each one either streams every record or is told to come back; none hangs or is cut short. */
    @Test
    void parallelExportsAreWholeOrRefused() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(pool.submit(() -> ExploreFixtures.get(base + "/export?format=jsonl")));
        }
        int whole = 0;
        for (Future<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) {
                assertThat(r.body().lines().count()).isEqualTo(N);
                whole++;
            } else {
                assertThat(r.statusCode()).isEqualTo(429);
            }
        }
        pool.shutdown();
        assertThat(whole).isPositive();
        assertThat(app.exports.availablePermits()).isEqualTo(1);
    }

    private long total(String q) throws Exception {
        HttpResponse<String> r = ExploreFixtures.get(base + "/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(q + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("total").asLong();
    }
}
