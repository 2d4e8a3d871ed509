package org.chatcorpus.battles.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.core.io.InputFiles;
import org.chatcorpus.core.io.InputStreams;
import org.chatcorpus.core.io.Quarantine;

/**
 * The battle formats chatcorpus reads, detection per file (the most specific first), and reading
 * what a user named (files, directories, globs) into battles.
 */
public final class BattleReaders {
    private static final int HEAD_BYTES = 64 * 1024;

    private BattleReaders() {
    }

    /** All battle readers in detection order; {@code seed} places HH pairs' chosen side. */
    public static List<BattleReader> all(long seed) {
        return List.of(new FastChatVoteReader(), new KaggleCsvReader(), new ArenaReader(ArenaRecords.ARENA_33K),
                new ArenaReader(ArenaRecords.ARENA_100K), new ArenaReader(ArenaRecords.CLEAN_BATTLE), new HhPairsReader(seed));
    }

    public static List<BattleReader> all() {
        return all(0);
    }

    public static List<String> formatNames() {
        return all().stream().map(BattleReader::format).toList();
    }

    public static BattleReader byName(String format, long seed) {
        for (BattleReader r : all(seed)) {
            if (r.format().equals(format)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown battle format '" + format + "'; known: " + String.join(", ", formatNames()));
    }

    /** The reader recognising this file, or null. */
    public static BattleReader detectOrNull(Path file, long seed) throws IOException {
        byte[] head = InputStreams.head(file, HEAD_BYTES);
        for (BattleReader r : all(seed)) {
            if (r.sniff(file, head)) {
                return r;
            }
        }
        return null;
    }

    public static BattleReader detect(Path file, long seed) throws IOException {
        BattleReader r = detectOrNull(file, seed);
        if (r == null) {
            // A user's mistake (a release or other file where battles were expected): a usage error, not a failure.
            String kind = file.getFileName().toString().endsWith(".parquet") ? "a Parquet file but not battles (no model_a, model_b, winner)"
                    : "not a battle file I know";
            throw new IllegalArgumentException(file + ": " + kind + "; give battle files or FastChat logs, or use --format with one of "
                    + String.join(", ", formatNames()));
        }
        return r;
    }

    /** What was read: battles in input order, the count per format, and FastChat's cleaning counts when logs were read. */
    public record Loaded(List<Battle> battles, Map<String, Long> perFormat, BattleLogCleaner.Counts fastChatCounts) {
    }

    /** Reads every input; {@code format} null or "auto" detects per file. */
    public static Loaded read(List<String> inputs, String format, long seed, Quarantine quarantine) throws IOException {
        List<Path> files = InputFiles.expand(inputs);
        Map<String, List<Path>> groups = new LinkedHashMap<>();
        Map<String, BattleReader> readers = new LinkedHashMap<>();
        for (Path f : files) {
            BattleReader r = format == null || format.equals("auto") ? detect(f, seed) : byName(format, seed);
            readers.putIfAbsent(r.format(), r);
            groups.computeIfAbsent(r.format(), k -> new ArrayList<>()).add(f);
        }
        List<Battle> battles = new ArrayList<>();
        Map<String, Long> perFormat = new LinkedHashMap<>();
        BattleLogCleaner.Counts counts = null;
        for (Map.Entry<String, List<Path>> g : groups.entrySet()) {
            BattleReader r = readers.get(g.getKey());
            int before = battles.size();
            r.readAll(g.getValue(), battles::add, quarantine);
            perFormat.put(g.getKey(), (long) (battles.size() - before));
            if (r instanceof FastChatVoteReader fc) {
                counts = fc.lastCounts();
            }
        }
        return new Loaded(battles, perFormat, counts);
    }
}
