package org.chatcorpus.core.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's shared public data ({@code shared/data} beside the repository, or
 * CHATCORPUS_SHARED_DATA): the demo's real samples and the default Llama vocabulary live there.
 */
public final class SharedDataLocator {
    private SharedDataLocator() {
    }

    /** The directory, or null when absent. */
    public static Path find() {
        String env = System.getenv("CHATCORPUS_SHARED_DATA");
        if (env != null && Files.isDirectory(Path.of(env))) {
            return Path.of(env);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
