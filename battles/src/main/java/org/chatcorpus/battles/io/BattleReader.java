package org.chatcorpus.battles.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.core.io.Quarantine;

/**
 * Turns one input file of a battle format into battles, streaming, with the same contract as
 * core's ConversationReader: every valid record reaches the sink, every bad one goes to the
 * quarantine with file, location and reason, and only an unreadable file throws.
 */
public interface BattleReader {
    /** The format name accepted by {@code --format}, e.g. "kaggle". */
    String format();

    /** Whether this reader recognises the file from its name and first bytes (gzip already undone). */
    boolean sniff(Path file, byte[] head) throws IOException;

    void read(Path file, Consumer<Battle> sink, Quarantine quarantine) throws IOException;

    /** Several files of this format; FastChat logs override it (a battle's events span files). */
    default void readAll(List<Path> files, Consumer<Battle> sink, Quarantine quarantine) throws IOException {
        for (Path f : files) {
            read(f, sink, quarantine);
        }
    }
}
