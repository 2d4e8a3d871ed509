package org.chatcorpus.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's shared real data ({@code ../shared/data} beside the repository). Tests call
 * {@link #file(String)}; when the data is absent the test is skipped with a message saying so.
 * {@code CHATCORPUS_SHARED_DATA} overrides the location.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The shared data directory, or null when it cannot be found. */
    public static Path dir() {
        String env = System.getenv("CHATCORPUS_SHARED_DATA");
        if (env != null && Files.isDirectory(Path.of(env))) {
            return Path.of(env);
        }
        // Maven runs tests from the module directory; walk up to find shared/data beside the repo.
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A file of the shared data; skips the calling test with a clear message when absent. */
    public static Path file(String name) {
        Path d = dir();
        assumeTrue(d != null, "shared data not found (expected ../shared/data beside the repository, or CHATCORPUS_SHARED_DATA); skipping");
        Path f = d.resolve(name);
        assumeTrue(Files.exists(f), "shared data file " + f + " is absent; skipping");
        return f;
    }
}
