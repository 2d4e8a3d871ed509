package org.chatcorpus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the demo writes under its output directory. A second run removes exactly these (and
 * nothing else the user may keep there), so it never appends to the first run's Arena logs and
 * its release holds each simulated conversation once.
 */
final class DemoOutput {
    static final String LEADERBOARD = "leaderboard.json";
    static final List<String> ENTRIES = List.of("generated", "arena", "moderation.model", "release", "report", LEADERBOARD,
            "explore-index");

    private DemoOutput() {
    }

    /** Deletes the entries a previous demo left in {@code out}; returns their names. */
    static List<String> clean(Path out) throws IOException {
        List<String> removed = new ArrayList<>();
        for (String name : ENTRIES) {
            Path p = out.resolve(name);
            if (Files.exists(p)) {
                deleteTree(p);
                removed.add(name);
            }
        }
        return removed;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            Files.delete(root);
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }
}
