package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Arena against a real PostgreSQL server: events land in the database, without raw addresses. */
class PostgresEventStoreTest {
    static TestPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void chatAndVoteEventsAreStoredInPostgresql(@TempDir Path data) throws Exception {
        try (ScriptedModelServer models = ScriptedModelServer.start(0)) {
            ArenaConfig cfg = ArenaConfig.defaults().withDataDir(data.toString())
                    .withModels(ArenaConfig.scriptedModels(models.baseUrl()))
                    .withDatabase(new ArenaConfig.Database(postgres.jdbcUrl(), "postgres", null));
            try (ArenaApp app = ArenaApp.start(ArenaService.open(cfg), "127.0.0.1", 0)) {
                ArenaClient user = new ArenaClient(app.port());
                user.consent();
                user.post("/api/battle/new", ArenaClient.obj().put("anony", true));
                user.post("/api/battle/send", ArenaClient.obj().put("prompt", "Stored in PostgreSQL?"));
                user.post("/api/battle/vote", ArenaClient.obj().put("type", "tievote"));
                assertThat(app.service().store().describe()).startsWith("jdbc:postgresql:");
                app.service().store().flush();
            }
        }
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT type, payload, user_hash FROM arena_events ORDER BY tstamp")) {
            List<String> types = new java.util.ArrayList<>();
            while (rs.next()) {
                types.add(rs.getString(1));
                assertThat(rs.getString(2)).contains("Stored in PostgreSQL?").doesNotContain("127.0.0.1");
                assertThat(rs.getString(3)).hasSize(32);
            }
            assertThat(types).containsExactlyInAnyOrder("chat", "chat", "tievote");
        }
    }
}
