package org.chatcorpus.explorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;

/**
 * The topic clusters of conversations, from the {@code topics.parquet} the report writes
 * ({@code conversation_id}, {@code message_index}, {@code cluster}): a conversation belongs to the
 * clusters of its sampled prompts. Held in memory while the index is built (ids and small ints).
 */
public final class TopicLabels {
    private final Map<String, Set<Integer>> byConversation;

    private TopicLabels(Map<String, Set<Integer>> byConversation) {
        this.byConversation = byConversation;
    }

    public static TopicLabels none() {
        return new TopicLabels(Map.of());
    }

    /** Reads a report's topic assignments; a clear error names the file when it is not one. */
    public static TopicLabels read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("topic assignments " + file + " not found (the report writes DIR/topics.parquet)");
        }
        Map<String, Set<Integer>> out = new HashMap<>();
        ParquetReader.Builder<Group> builder = new ParquetReader.Builder<Group>(new LocalInputFile(file), new PlainParquetConfiguration()) {
            @Override
            protected ReadSupport<Group> getReadSupport() {
                return new GroupReadSupport();
            }
        };
        try (ParquetReader<Group> reader = builder.build()) {
            for (Group g; (g = reader.read()) != null; ) {
                out.computeIfAbsent(g.getString("conversation_id", 0), k -> new TreeSet<>()).add(g.getInteger("cluster", 0));
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("topic assignments " + file + ": expected columns conversation_id, message_index, cluster ("
                    + e.getMessage() + ")", e);
        }
        return new TopicLabels(out);
    }

    /** The clusters of a conversation (empty when none of its prompts was sampled). */
    public Set<Integer> of(String conversationId) {
        return byConversation.getOrDefault(conversationId, Set.of());
    }

    public int conversations() {
        return byConversation.size();
    }
}
