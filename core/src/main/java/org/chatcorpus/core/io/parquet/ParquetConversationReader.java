package org.chatcorpus.core.io.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.chatcorpus.core.io.ConversationReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.model.Conversation;

/**
 * Reads LMSYS-Chat-1M Parquet files written by us, pyarrow / Hugging Face datasets, DuckDB or Spark.
 * Columns are matched by name; optional release columns that are missing get their defaults
 * (language "", no moderation, redacted false, turn from the messages); user_id and tstamp are read
 * when present. A row whose required field is null or of the wrong type is quarantined with its
 * row number and field; a file missing a required column, or not readable as Parquet, is
 * quarantined as a whole.
 *
 * <p>{@link #projected(Set)} reads only some columns (statistics need model, language, turn and
 * user_id, not the text), which Parquet makes far cheaper than a full read.
 */
public final class ParquetConversationReader implements ConversationReader {
    private static final Set<String> REQUIRED = Set.of(ReleaseSchema.CONVERSATION_ID, ReleaseSchema.MODEL, ReleaseSchema.CONVERSATION);
    private final Set<String> columns;

    public ParquetConversationReader() {
        this(null);
    }

    private ParquetConversationReader(Set<String> columns) {
        this.columns = columns == null ? null : Set.copyOf(columns);
    }

    /** A reader of only these top-level columns; the others take their defaults. */
    public static ParquetConversationReader projected(Set<String> columns) {
        return new ParquetConversationReader(columns);
    }

    @Override
    public String format() {
        return "parquet";
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1';
    }

    /** Parquet magic at both ends: a cheap check that a file is complete. */
    static boolean looksComplete(Path file) throws IOException {
        long size = Files.size(file);
        if (size < 12) {
            return false;
        }
        try (var ch = Files.newByteChannel(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4);
            ch.position(size - 4);
            ch.read(b);
            return new String(b.array(), java.nio.charset.StandardCharsets.US_ASCII).equals("PAR1");
        }
    }

    @Override
    public void read(Path file, Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        readRange(file, 0, Long.MAX_VALUE, sink, quarantine);
    }

    /**
     * Byte ranges of about {@code bytes} each covering the file; reading every range reads each
     * row group exactly once (a row group belongs to the range holding its midpoint), so callers
     * can read one large file on several cores.
     */
    public static java.util.List<long[]> ranges(Path file, long bytes) throws IOException {
        long size = Files.size(file);
        java.util.List<long[]> out = new java.util.ArrayList<>();
        for (long s = 0; s < size; s += bytes) {
            out.add(new long[] {s, Math.min(size, s + bytes)});
        }
        if (out.isEmpty()) {
            out.add(new long[] {0, size});
        }
        return out;
    }

    /**
     * Reads the row groups whose midpoint lies in [start, end), one at a time, verifying page
     * checksums where the writer stored them. A row group that fails (a damaged page, a checksum
     * mismatch) is quarantined with its number and reason; the rows it gave before the failure and
     * every other row group are kept.
     */
    public void readRange(Path file, long start, long end, Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": cannot read this file");
        }
        if (!looksComplete(file)) {
            quarantine.reject(new QuarantinedRecord(file.toString(), "file", "not a complete Parquet file (missing the PAR1 footer; truncated?)", ""));
            return;
        }
        java.util.List<long[]> groups;
        try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(new LocalInputFile(file),
                org.apache.parquet.ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            groups = new java.util.ArrayList<>();
            for (org.apache.parquet.hadoop.metadata.BlockMetaData b : r.getFooter().getBlocks()) {
                groups.add(new long[] {b.getStartingPos(), b.getStartingPos() + b.getCompressedSize()});
            }
        } catch (IOException | RuntimeException e) {
            quarantine.reject(new QuarantinedRecord(file.toString(), "file", "not readable as Parquet: " + e.getMessage(), ""));
            return;
        }
        for (int k = 0; k < groups.size(); k++) {
            long[] g = groups.get(k);
            long mid = g[0] + (g[1] - g[0]) / 2;
            if (mid >= start && mid < end && !readRowGroup(file, k, g, sink, quarantine)) {
                return;
            }
        }
    }

    /** One row group; false when the whole file must be skipped (a required column is missing). */
    private boolean readRowGroup(Path file, int k, long[] range, Consumer<Conversation> sink, Quarantine quarantine) {
        Support support = new Support(columns);
        ParquetReader.Builder<RowBuilder> builder = new ParquetReader.Builder<RowBuilder>(new LocalInputFile(file), new PlainParquetConfiguration()) {
            @Override
            protected ReadSupport<RowBuilder> getReadSupport() {
                return support;
            }
        };
        builder.withFileRange(range[0], range[1]).usePageChecksumVerification(true);
        String group = " of row group " + k;
        long rowNumber = 0;
        try (ParquetReader<RowBuilder> reader = builder.build()) {
            RowBuilder row;
            while (true) {
                try {
                    row = reader.read();
                } catch (RuntimeException e) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), "row " + (rowNumber + 1) + group,
                            "row group unreadable from here on (" + rootMessage(e) + "); its " + rowNumber
                                    + " row(s) before and the other row groups are kept", ""));
                    return true;
                }
                if (row == null) {
                    return true;
                }
                rowNumber++;
                if (support.missingColumn != null) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), "file",
                            "column `" + support.missingColumn + "` is missing; file skipped", ""));
                    return false;
                }
                boolean full = columns == null;
                Conversation c = row.build(full || columns.contains(ReleaseSchema.CONVERSATION_ID),
                        full || columns.contains(ReleaseSchema.MODEL), full || columns.contains(ReleaseSchema.CONVERSATION));
                if (c == null) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), "row " + rowNumber + group, row.problem,
                            row.conversationId == null ? "" : "conversation_id=" + row.conversationId));
                } else {
                    sink.accept(c);
                }
            }
        } catch (IOException | RuntimeException e) {
            quarantine.reject(new QuarantinedRecord(file.toString(), "row group " + k, "not readable as Parquet: " + rootMessage(e)
                    + "; the other row groups are kept", ""));
            return true;
        }
    }

    /** The innermost message: parquet wraps a checksum mismatch in "can not read value at …". */
    public static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && depth++ < 8; c = c.getCause()) {
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    /** Requests the wanted columns and builds converters from the file's own schema. */
    private static final class Support extends ReadSupport<RowBuilder> {
        private final Set<String> columns;
        String missingColumn;

        Support(Set<String> columns) {
            this.columns = columns;
        }

        @Override
        public ReadContext init(InitContext context) {
            MessageType file = context.getFileSchema();
            for (String r : REQUIRED) {
                if ((columns == null || columns.contains(r)) && !file.containsField(r)) {
                    missingColumn = r;
                }
            }
            if (columns == null) {
                return new ReadContext(file);
            }
            java.util.List<Type> keep = file.getFields().stream().filter(f -> columns.contains(f.getName())).toList();
            return new ReadContext(new MessageType(file.getName(), keep));
        }

        @Override
        public RecordMaterializer<RowBuilder> prepareForRead(Configuration configuration, Map<String, String> keyValueMetaData,
                MessageType fileSchema, ReadContext readContext) {
            return materializer(readContext);
        }

        @Override
        public RecordMaterializer<RowBuilder> prepareForRead(ParquetConfiguration configuration, Map<String, String> keyValueMetaData,
                MessageType fileSchema, ReadContext readContext) {
            return materializer(readContext);
        }

        private RecordMaterializer<RowBuilder> materializer(ReadContext readContext) {
            RowBuilder row = new RowBuilder();
            GroupConverter root = RowConverters.root(readContext.getRequestedSchema(), row);
            return new RecordMaterializer<>() {
                @Override
                public RowBuilder getCurrentRecord() {
                    return row;
                }

                @Override
                public GroupConverter getRootConverter() {
                    return root;
                }
            };
        }
    }
}
