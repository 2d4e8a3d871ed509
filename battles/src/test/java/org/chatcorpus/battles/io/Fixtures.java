package org.chatcorpus.battles.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;

/** The battle fixtures in src/test/resources/battles, and Parquet copies written by DuckDB. */
final class Fixtures {
    private Fixtures() {
    }

    static Path file(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/battles/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file's first {@code lines} lines as Parquet, written by DuckDB (3-level lists named "element", structs). */
    static Path parquet(String jsonl, int lines, Path dir) throws Exception {
        Path clean = dir.resolve(jsonl.replace(".jsonl", "-good.jsonl"));
        Files.write(clean, Files.readAllLines(file(jsonl)).subList(0, lines));
        Path out = dir.resolve(jsonl.replace(".jsonl", ".parquet"));
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_json_auto('" + clean + "')) TO '" + out + "' (FORMAT PARQUET)");
        }
        return out;
    }

    record Read(List<Battle> battles, CountingQuarantine quarantine) {
    }

    static Read read(Path file, String format) throws IOException {
        CountingQuarantine q = Quarantine.counting();
        List<Battle> out = new ArrayList<>();
        BattleReaders.byName(format, 0).read(file, out::add, q);
        return new Read(out, q);
    }
}
