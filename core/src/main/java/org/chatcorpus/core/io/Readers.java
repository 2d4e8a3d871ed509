package org.chatcorpus.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.chatcorpus.core.io.json.FastChatLogReader;
import org.chatcorpus.core.io.json.HhTranscriptReader;
import org.chatcorpus.core.io.json.LmsysJsonReader;
import org.chatcorpus.core.io.json.OpenAiChatReader;
import org.chatcorpus.core.io.json.ShareGptReader;
import org.chatcorpus.core.io.parquet.ParquetConversationReader;

/**
 * The formats chatcorpus reads, and auto-detection. Detection asks each reader in order whether it
 * recognises a file's name and first bytes; the order puts the most specific formats first.
 *
 * <p>Modules above core add formats through {@link Extension} (found with {@link ServiceLoader}),
 * so core never names them: the battles module makes every battle file readable as conversations.
 * Extensions come first in detection: they recognise files by columns that core's generic readers
 * (any Parquet, any JSON with "chosen") would otherwise claim.
 */
public final class Readers {
    private static final int HEAD_BYTES = 64 * 1024;

    private Readers() {
    }

    /** Formats that another module adds; listed in {@code META-INF/services/org.chatcorpus.core.io.Readers$Extension}. */
    public interface Extension {
        /** Readers in detection order; stateless, so files may be read in parallel. */
        List<ConversationReader> readers();
    }

    private static final class Extensions {
        static final List<ConversationReader> READERS = load();

        private static List<ConversationReader> load() {
            List<ConversationReader> out = new ArrayList<>();
            for (Extension e : ServiceLoader.load(Extension.class, Readers.class.getClassLoader())) {
                out.addAll(e.readers());
            }
            return List.copyOf(out);
        }
    }

    /** All readers, in detection order. */
    public static List<ConversationReader> all() {
        List<ConversationReader> out = new ArrayList<>(Extensions.READERS);
        out.addAll(List.of(new ParquetConversationReader(), new FastChatLogReader(), new LmsysJsonReader(),
                new ShareGptReader(), new OpenAiChatReader(), new HhTranscriptReader()));
        return out;
    }

    public static List<String> formatNames() {
        return all().stream().map(ConversationReader::format).toList();
    }

    /** The reader for a format name given with --format. */
    public static ConversationReader byName(String format) {
        for (ConversationReader r : all()) {
            if (r.format().equals(format)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown format '" + format + "'; known formats: " + String.join(", ", formatNames()));
    }

    /** Lines tried as the start of a file's first record when the ones before are not recognised. */
    private static final int MAX_LINES_TRIED = 100;

    /** A file no reader recognises (empty, or no record of a known shape in its first lines). */
    public static final class UnknownFormatException extends IOException {
        private final String reason;

        UnknownFormatException(Path file, String reason) {
            super(file + ": " + reason);
            this.reason = reason;
        }

        /** What is wrong, without the file name. */
        public String reason() {
            return reason;
        }
    }

    /**
     * The reader that recognises this file; a clear error naming the file when none does. When the
     * first line is not a record of a known shape (not JSON, say), the next lines are tried, so one
     * bad line does not hide a file's format: the reader quarantines that line alone.
     */
    public static ConversationReader detect(Path file) throws IOException {
        byte[] head = InputStreams.head(file, HEAD_BYTES);
        if (head.length == 0) {
            throw new UnknownFormatException(file, "empty file (0 bytes of content)");
        }
        int start = 0;
        for (int tried = 0; tried < MAX_LINES_TRIED && start < head.length; tried++) {
            byte[] from = start == 0 ? head : java.util.Arrays.copyOfRange(head, start, head.length);
            for (ConversationReader r : all()) {
                if (r.sniff(file, from)) {
                    return r;
                }
            }
            start = nextLine(head, start);
        }
        throw new UnknownFormatException(file, "cannot tell its format from its content; use --format with one of "
                + String.join(", ", formatNames()));
    }

    private static int nextLine(byte[] head, int from) {
        for (int i = from; i < head.length; i++) {
            if (head[i] == '\n') {
                return i + 1;
            }
        }
        return head.length;
    }

    /** Files grouped by reader, keeping their order; one reader per format. */
    public record Group(ConversationReader reader, List<Path> files) {
    }

    /**
     * Files grouped by reader. A file whose format cannot be told (empty, unrecognised) is
     * quarantined as a whole with the reason and left out, so it cannot stop the other files.
     */
    public static List<Group> group(List<Path> files, String forcedFormat, Quarantine quarantine) throws IOException {
        List<Group> groups = new ArrayList<>();
        for (Path f : files) {
            ConversationReader r;
            try {
                r = forcedFormat == null || forcedFormat.equals("auto") ? detect(f) : byName(forcedFormat);
            } catch (UnknownFormatException e) {
                quarantine.reject(new QuarantinedRecord(f.toString(), "file", e.reason() + "; file skipped", ""));
                continue;
            }
            Group g = groups.stream().filter(x -> x.reader().format().equals(r.format())).findFirst().orElse(null);
            if (g == null) {
                g = new Group(r, new ArrayList<>());
                groups.add(g);
            }
            g.files().add(f);
        }
        return groups;
    }
}
