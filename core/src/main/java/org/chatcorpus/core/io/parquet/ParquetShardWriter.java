package org.chatcorpus.core.io.parquet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.chatcorpus.core.io.ConversationWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/**
 * Writes a dataset as Hugging Face-style shards: {@code DIR/data/train-00000-of-0000N.parquet}.
 * A shard is closed when its encoded size reaches the target (default 256 MiB), so memory stays
 * bounded by one row group. Shards are written under hidden temporary names and renamed to their
 * final "-of-N" names only by {@link #close()}, once N is known: a run that dies midway leaves
 * nothing that looks like a complete shard. Configuration is parquet's plain (Hadoop-free) one, and
 * files are written with its local-file API, so no Hadoop code runs.
 */
public final class ParquetShardWriter implements ConversationWriter {
    public static final long DEFAULT_SHARD_BYTES = 256L << 20;
    private static final int ROW_GROUP_BYTES = 64 << 20;

    private final Path dataDir;
    private final String split;
    private final long shardBytes;
    private final boolean collectionColumns;
    private final List<Path> temporary = new ArrayList<>();
    private ParquetWriter<Conversation> current;
    private long rowsInShard;
    private long examples;
    private long bytes;
    private List<Path> finished;

    /** What was written, for the dataset card. */
    public record Summary(List<Path> shards, long numExamples, long numBytes, long downloadSize) {
    }

    public ParquetShardWriter(Path datasetDir, long shardBytes, boolean collectionColumns) throws IOException {
        this.dataDir = Files.createDirectories(datasetDir.resolve("data"));
        this.split = "train";
        this.shardBytes = shardBytes;
        this.collectionColumns = collectionColumns;
    }

    public static ParquetShardWriter release(Path datasetDir) throws IOException {
        return new ParquetShardWriter(datasetDir, DEFAULT_SHARD_BYTES, false);
    }

    /**
     * Columns whose values are nearly all distinct (ids, message text, moderation scores): a
     * dictionary only costs a hash lookup per value before Parquet gives up on it. Model, role,
     * language and the category booleans keep their dictionaries.
     */
    static final java.util.List<String> NO_DICTIONARY = noDictionaryColumns();

    private static java.util.List<String> noDictionaryColumns() {
        java.util.List<String> c = new java.util.ArrayList<>();
        c.add(ReleaseSchema.CONVERSATION_ID);
        c.add(ReleaseSchema.CONVERSATION + ".list.element.content");
        for (org.chatcorpus.core.model.ModerationCategory cat : org.chatcorpus.core.model.ModerationCategory.values()) {
            c.add(ReleaseSchema.OPENAI_MODERATION + ".list.element.category_scores." + cat.label());
        }
        return java.util.List.copyOf(c);
    }

    @Override
    public void write(Conversation c) throws IOException {
        if (finished != null) {
            throw new IllegalStateException("writer already closed");
        }
        if (current == null) {
            openShard();
        }
        current.write(collectionColumns ? c : c.forRelease());
        examples++;
        bytes += arrowBytes(c);
        // getDataSize() walks the column writers; checking it every 256 rows is plenty.
        if ((++rowsInShard & 255) == 0 && current.getDataSize() >= shardBytes) {
            closeShard();
        }
    }

    /** Closes the current shard and puts its footer in canonical order (same rows, same bytes, in any JVM). */
    private void closeShard() throws IOException {
        current.close();
        current = null;
        CanonicalFooter.rewrite(temporary.get(temporary.size() - 1));
    }

    private void openShard() throws IOException {
        Path tmp = dataDir.resolve(String.format(Locale.ROOT, ".%s-%05d.parquet.inprogress", split, temporary.size()));
        temporary.add(tmp);
        Builder b = new Builder(new LocalOutputFile(tmp), collectionColumns)
                .withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withDictionaryEncoding(true)
                .withPageWriteChecksumEnabled(true); // readers verify them: a flipped bit is a quarantined row group, not a changed score
        for (String column : NO_DICTIONARY) {
            b = b.withDictionaryEncoding(column, false);
        }
        current = b.build();
        rowsInShard = 0;
    }

    /**
     * Makes {@link #close()} write one shard with no rows when nothing was written, so an empty
     * result still comes out as a valid Parquet file with the release schema (an export of an
     * empty search, for instance) rather than as no file at all.
     */
    public ParquetShardWriter emptyShardWhenNothingWritten() {
        emptyShard = true;
        return this;
    }

    private boolean emptyShard;

    /**
     * An estimate of the Arrow in-memory size of a record (what Hugging Face reports as num_bytes):
     * string bytes plus offsets, 8 bytes per int64/double, 1 per bool, per message and moderation.
     */
    static long arrowBytes(Conversation c) {
        long b = utf8(c.conversationId()) + utf8(c.model()) + utf8(c.language()) + 3 * 4 + 8 + 1 + 2 * 4;
        for (Message m : c.conversation()) {
            b += utf8(m.content()) + utf8(m.role()) + 2 * 4;
        }
        b += c.openaiModeration().size() * (11L + 11 * 8 + 1);
        return b;
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Finishes the last shard and gives every shard its final name. */
    @Override
    public void close() throws IOException {
        if (finished != null) {
            return;
        }
        if (temporary.isEmpty() && emptyShard) {
            openShard();
        }
        if (current != null) {
            closeShard();
        }
        int n = temporary.size();
        List<Path> out = new ArrayList<>();
        long size = 0;
        for (int i = 0; i < n; i++) {
            ParquetFooters.normalize(temporary.get(i));
            Path target = dataDir.resolve(String.format(Locale.ROOT, "%s-%05d-of-%05d.parquet", split, i, n));
            Files.move(temporary.get(i), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            size += Files.size(target);
            out.add(target);
        }
        finished = List.copyOf(out);
        summary = new Summary(finished, examples, bytes, size);
    }

    private Summary summary;

    /** Available after {@link #close()}. */
    public Summary summary() {
        if (summary == null) {
            throw new IllegalStateException("close the writer first");
        }
        return summary;
    }

    private static final class Builder extends ParquetWriter.Builder<Conversation, Builder> {
        private final boolean collectionColumns;

        Builder(OutputFile file, boolean collectionColumns) {
            super(file);
            this.collectionColumns = collectionColumns;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Conversation> getWriteSupport(Configuration conf) {
            return new ConversationWriteSupport(collectionColumns);
        }

        @Override
        protected WriteSupport<Conversation> getWriteSupport(ParquetConfiguration conf) {
            return new ConversationWriteSupport(collectionColumns);
        }
    }
}
