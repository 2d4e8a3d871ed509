package org.chatcorpus.server.arena;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server for one test class, started by the project's own
 * scripts/start-test-postgres.sh in a temporary directory. Tests skip with a message when the
 * PostgreSQL binaries are not installed (scripts/install-test-deps.sh installs them).
 */
final class TestPostgres implements AutoCloseable {
    private final Path dir;
    private final int port;

    private TestPostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static TestPostgres start() throws IOException, InterruptedException {
        Path script = repoFile("scripts/start-test-postgres.sh");
        assumeTrue(script != null, "scripts/start-test-postgres.sh not found; skipping PostgreSQL test");
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/postgresql")),
                "PostgreSQL server binaries absent (run scripts/install-test-deps.sh); skipping PostgreSQL test");
        Path dir = Files.createTempDirectory("chatcorpus-pg");
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("bash", script.toString(), dir.toString(), Integer.toString(port))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("could not start PostgreSQL: " + out);
        }
        return new TestPostgres(dir, port);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    static Path repoFile(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(relative))) {
                return p.resolve(relative);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Path stop = repoFile("scripts/stop-test-postgres.sh");
        new ProcessBuilder("bash", stop.toString(), dir.toString()).inheritIO().start().waitFor();
    }
}
