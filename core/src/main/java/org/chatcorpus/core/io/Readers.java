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

    /** The reader that recognises this file; a clear error naming the file when none does. */
    public static ConversationReader detect(Path file) throws IOException {
        byte[] head = InputStreams.head(file, HEAD_BYTES);
        for (ConversationReader r : all()) {
            if (r.sniff(file, head)) {
                return r;
            }
        }
        throw new IOException(file + ": cannot tell its format from its content; use --format with one of "
                + String.join(", ", formatNames()));
    }

    /** Files grouped by reader, keeping their order; one reader per format. */
    public record Group(ConversationReader reader, List<Path> files) {
    }

    public static List<Group> group(List<Path> files, String forcedFormat) throws IOException {
        List<Group> groups = new ArrayList<>();
        for (Path f : files) {
            ConversationReader r = forcedFormat == null || forcedFormat.equals("auto") ? detect(f) : byName(forcedFormat);
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
