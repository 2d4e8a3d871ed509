package org.chatcorpus.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.chatcorpus.core.model.Conversation;

/**
 * Turns one input file of a given format into conversations, streaming.
 *
 * <p>Contract: every valid record reaches {@code sink}; every bad record goes to
 * {@code quarantine} with file, location and reason, and reading continues. Only failures to
 * read the file at all (missing, unreadable) throw.
 */
public interface ConversationReader {
    /** The format name accepted by {@code --format}, e.g. "sharegpt". */
    String format();

    /**
     * Whether this reader recognises the file, from its name and first bytes (at most 64 KiB,
     * already decompressed when the file is gzip). Used for auto-detection.
     */
    boolean sniff(Path file, byte[] head);

    void read(Path file, Consumer<Conversation> sink, Quarantine quarantine) throws IOException;

    /**
     * Reads several files of this format. By default one after the other; formats whose records
     * span files (FastChat logs: the last state of a conversation wins across all files)
     * override this.
     */
    default void readAll(java.util.List<Path> files, Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        for (Path f : files) {
            read(f, sink, quarantine);
        }
    }
}
