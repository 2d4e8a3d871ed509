package org.chatcorpus.explorer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.generate.ReleaseWriter;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/** Test datasets (generated releases with planted words) and small HTTP/DuckDB helpers. */
final class ExploreFixtures {
    private ExploreFixtures() {
    }

    /**
     * A generated release of {@code n} conversations where some messages carry planted words:
     * "zebrafish swims" in some assistant answers, "Zebrafish" in some prompts, "quokka" only in prompts.
     */
    static Path release(Path dir, int n, long seed) throws IOException {
        SyntheticCorpus corpus = new SyntheticCorpus(seed);
        try (ReleaseWriter w = new ReleaseWriter(dir, "explore-test", "test data", 1L << 20)) {
            for (int i = 0; i < n; i++) {
                w.write(plant(corpus.conversation(i), i));
            }
        }
        return dir;
    }

    static Conversation plant(Conversation c, int i) {
        List<Message> ms = new ArrayList<>(c.conversation());
        if (i % 9 == 0 && ms.size() > 1) {
            ms.set(1, Message.assistant(ms.get(1).content() + " The zebrafish swims fast."));
        }
        if (i % 13 == 0) {
            ms.set(0, Message.user("Zebrafish? " + ms.get(0).content()));
        }
        if (i % 11 == 0) {
            ms.set(0, Message.user(ms.get(0).content() + " Tell me about the quokka."));
        }
        if (i % 17 == 0 && ms.size() > 1) {
            ms.set(1, Message.assistant(ms.get(1).content() + " swims, zebrafish!"));
        }
        return c.withMessages(ms);
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** One number from DuckDB over the release's Parquet shards: {@code SELECT count(*) FROM data WHERE <where>}. */
    static long duckCount(Path release, String where) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + release.resolve("data") + "/*.parquet') WHERE " + where);
            rs.next();
            return rs.getLong(1);
        }
    }

    /** DuckDB: some message (of the role, when given) matches this case-insensitive RE2 regex. */
    static String anyMessage(String regex, String role) {
        return "len(list_filter(conversation, m -> regexp_matches(m.content, '" + regex + "', 'i')"
                + (role == null ? "" : " AND m.role = '" + role + "'") + ")) > 0";
    }
}
