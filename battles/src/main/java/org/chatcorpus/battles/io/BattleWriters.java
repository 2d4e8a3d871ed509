package org.chatcorpus.battles.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.battles.Battle;

/** The layouts battles can be written in ({@code battles convert --to}, {@code arena-export}). */
public final class BattleWriters {
    public static final List<String> FORMATS = List.of(KaggleCsvReader.FORMAT, ArenaRecords.ARENA_33K, ArenaRecords.CLEAN_BATTLE);

    private BattleWriters() {
    }

    /** What a write did: rows written, and unlabeled battles left out (the Arena layouts need a winner). */
    public record Written(long rows, long skippedUnlabeled) {
    }

    public static Written write(List<Battle> battles, String format, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        long rows = 0;
        long skipped = 0;
        switch (format) {
            case KaggleCsvReader.FORMAT -> {
                boolean labeled = !battles.isEmpty() && battles.stream().allMatch(Battle::labeled);
                try (KaggleCsvWriter w = new KaggleCsvWriter(out, labeled)) {
                    for (Battle b : battles) {
                        w.write(b);
                        rows++;
                    }
                }
            }
            case ArenaRecords.ARENA_33K, ArenaRecords.CLEAN_BATTLE -> {
                try (ArenaJsonWriter w = new ArenaJsonWriter(out, format.equals(ArenaRecords.CLEAN_BATTLE))) {
                    for (Battle b : battles) {
                        if (b.labeled()) {
                            w.write(b);
                            rows++;
                        } else {
                            skipped++;
                        }
                    }
                }
            }
            default -> {
                out.close();
                throw new IllegalArgumentException("cannot write battles as '" + format + "'; known: " + String.join(", ", FORMATS));
            }
        }
        return new Written(rows, skipped);
    }
}
