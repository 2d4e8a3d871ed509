package org.chatcorpus.core.io.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Value counts of a few flat columns of one Parquet row group, read column by column without
 * assembling rows: dictionary-encoded strings are counted by dictionary id and turned into
 * strings once per dictionary, not once per row. This is what makes {@code stats} without tokens
 * as fast as a columnar engine; rows are never materialised.
 *
 * <p>Counts: rows; per value of {@code model} and {@code language}; the sum of {@code turn};
 * the distinct {@code user_id}s (when the column exists).
 */
public final class ParquetColumnCounts {
    public long rows;
    public long turnSum;
    public final Map<String, long[]> models = new HashMap<>();
    public final Map<String, long[]> languages = new HashMap<>();
    public final Set<String> users = new HashSet<>();
    public boolean hasUserColumn;
    /**
     * Rows (0-based, within the row group) whose {@code conversation} is empty or null: they are not
     * conversations and are left out of every count (see {@code StatisticsRun}).
     */
    public java.util.BitSet emptyRows = new java.util.BitSet();

    /** Number of row groups in a file. */
    public static int rowGroups(Path file) throws IOException {
        try (ParquetFileReader r = open(file)) {
            return r.getRowGroups().size();
        }
    }

    /** Counts one row group of a file. */
    public static ParquetColumnCounts count(Path file, int rowGroup) throws IOException {
        ParquetColumnCounts out = new ParquetColumnCounts();
        try (ParquetFileReader r = open(file)) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            VersionParser.ParsedVersion writer = writerVersion(r.getFooter().getFileMetaData().getCreatedBy());
            MessageType flat = project(schema);
            ColumnDescriptor messages = messageColumn(schema);
            MessageType projection = messages == null ? flat : withLeaf(flat, schema, messages.getPath());
            r.setRequestedSchema(projection);
            PageReadStore pages = r.readRowGroup(rowGroup);
            if (pages == null) {
                return out;
            }
            out.rows = pages.getRowCount();
            if (messages != null) {
                out.emptyRows = emptyLists(new ColumnReaderImpl(messages, pages.getPageReader(messages), new PrimitiveConverter() {
                }, writer), firstRepeatedLevel(schema, messages.getPath()));
                out.rows -= out.emptyRows.cardinality();
            }
            for (ColumnDescriptor col : flat.getColumns()) {
                String name = col.getPath()[0];
                PrimitiveConverter converter = switch (name) {
                    case ReleaseSchema.MODEL -> new CountingStrings(out.models);
                    case ReleaseSchema.LANGUAGE -> new CountingStrings(out.languages);
                    case ReleaseSchema.USER_ID -> {
                        out.hasUserColumn = true;
                        yield new DistinctStrings(out.users);
                    }
                    case ReleaseSchema.TURN -> new PrimitiveConverter() {
                        @Override
                        public void addLong(long value) {
                            out.turnSum += value;
                        }

                        @Override
                        public void addInt(int value) {
                            out.turnSum += value;
                        }
                    };
                    default -> throw new IllegalStateException("unexpected column " + name);
                };
                ColumnReaderImpl reader = new ColumnReaderImpl(col, pages.getPageReader(col), converter, writer);
                int maxDef = col.getMaxDefinitionLevel();
                for (int i = 0, n = (int) reader.getTotalValueCount(); i < n; i++) {
                    if (reader.getCurrentDefinitionLevel() == maxDef && !out.emptyRows.get(i)) {
                        reader.writeCurrentValueToConverter();
                    }
                    reader.consume();
                }
                if (converter instanceof CountingStrings cs) {
                    cs.flush();
                }
            }
        }
        out.languages.remove("");
        return out;
    }

    /**
     * True when the file's columns this class reads are flat (string model/language/user_id, integer
     * turn) — the shape of every LMSYS-Chat-1M file; anything else goes through the row reader.
     */
    public static boolean supports(Path file) {
        try (ParquetFileReader r = open(file)) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            if (!schema.containsField(ReleaseSchema.MODEL)) {
                return false;
            }
            for (Type t : project(schema).getFields()) {
                if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
                    return false;
                }
                PrimitiveType.PrimitiveTypeName p = t.asPrimitiveType().getPrimitiveTypeName();
                boolean integer = p == PrimitiveType.PrimitiveTypeName.INT64 || p == PrimitiveType.PrimitiveTypeName.INT32;
                if (t.getName().equals(ReleaseSchema.TURN) ? !integer : p != PrimitiveType.PrimitiveTypeName.BINARY) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A leaf column of {@code conversation} (the role when there is one: the smallest), or null. */
    private static ColumnDescriptor messageColumn(MessageType schema) {
        if (!schema.containsField(ReleaseSchema.CONVERSATION)) {
            return null;
        }
        ColumnDescriptor first = null;
        for (ColumnDescriptor c : schema.getColumns()) {
            if (c.getPath()[0].equals(ReleaseSchema.CONVERSATION)) {
                if (c.getPath()[c.getPath().length - 1].equals("role")) {
                    return c;
                }
                first = first == null ? c : first;
            }
        }
        return first;
    }

    /** The definition level at which the first repeated field on the path exists: below it, the list is empty or null. */
    private static int firstRepeatedLevel(MessageType schema, String[] path) {
        for (int depth = 1; depth <= path.length; depth++) {
            String[] prefix = java.util.Arrays.copyOf(path, depth);
            if (schema.getType(prefix).isRepetition(Type.Repetition.REPEATED)) {
                return schema.getMaxDefinitionLevel(prefix);
            }
        }
        return schema.getMaxDefinitionLevel(path);
    }

    /** Rows whose first value of a list column is defined below {@code present}: empty or null lists. */
    private static java.util.BitSet emptyLists(ColumnReaderImpl reader, int present) {
        java.util.BitSet empty = new java.util.BitSet();
        int row = -1;
        for (long i = 0, n = reader.getTotalValueCount(); i < n; i++) {
            if (reader.getCurrentRepetitionLevel() == 0) {
                row++;
                if (reader.getCurrentDefinitionLevel() < present) {
                    empty.set(row);
                }
            }
            reader.consume();
        }
        return empty;
    }

    /** {@code flat} plus the one leaf at {@code path} of the file's schema (its ancestors pruned to that leaf). */
    private static MessageType withLeaf(MessageType flat, MessageType schema, String[] path) {
        java.util.List<Type> fields = new java.util.ArrayList<>(flat.getFields());
        fields.add(pruned(schema.getType(path[0]), path, 1));
        return new MessageType(schema.getName(), fields);
    }

    private static Type pruned(Type t, String[] path, int depth) {
        if (depth == path.length || t.isPrimitive()) {
            return t;
        }
        org.apache.parquet.schema.GroupType g = t.asGroupType();
        return g.withNewFields(pruned(g.getType(path[depth]), path, depth + 1));
    }

    private static MessageType project(MessageType schema) {
        java.util.List<Type> fields = new java.util.ArrayList<>();
        for (String c : new String[] {ReleaseSchema.MODEL, ReleaseSchema.LANGUAGE, ReleaseSchema.TURN, ReleaseSchema.USER_ID}) {
            if (schema.containsField(c)) {
                fields.add(schema.getType(c));
            }
        }
        return new MessageType(schema.getName(), fields);
    }

    private static ParquetFileReader open(Path file) throws IOException {
        return ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder(new PlainParquetConfiguration())
                .usePageChecksumVerification(true).build());
    }

    private static VersionParser.ParsedVersion writerVersion(String createdBy) {
        try {
            return createdBy == null ? null : VersionParser.parse(createdBy);
        } catch (VersionParser.VersionParseException | RuntimeException e) {
            return null;
        }
    }

    /** Counts by dictionary id while a dictionary is current; folds ids into strings when it changes. */
    private static final class CountingStrings extends PrimitiveConverter {
        private final Map<String, long[]> target;
        private Dictionary dictionary;
        private long[] byId = new long[0];

        CountingStrings(Map<String, long[]> target) {
            this.target = target;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary d) {
            flush();
            dictionary = d;
            byId = new long[d.getMaxId() + 1];
        }

        @Override
        public void addValueFromDictionary(int id) {
            byId[id]++;
        }

        @Override
        public void addBinary(Binary value) {
            target.computeIfAbsent(value.toStringUsingUTF8(), k -> new long[1])[0]++;
        }

        void flush() {
            if (dictionary == null) {
                return;
            }
            for (int id = 0; id < byId.length; id++) {
                if (byId[id] > 0) {
                    target.computeIfAbsent(dictionary.decodeToBinary(id).toStringUsingUTF8(), k -> new long[1])[0] += byId[id];
                }
            }
            byId = new long[0];
            dictionary = null;
        }
    }

    private static final class DistinctStrings extends PrimitiveConverter {
        private final Set<String> target;
        private Dictionary dictionary;
        private boolean[] seen = new boolean[0];

        DistinctStrings(Set<String> target) {
            this.target = target;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary d) {
            dictionary = d;
            seen = new boolean[d.getMaxId() + 1];
        }

        @Override
        public void addValueFromDictionary(int id) {
            if (!seen[id]) {
                seen[id] = true;
                target.add(dictionary.decodeToBinary(id).toStringUsingUTF8());
            }
        }

        @Override
        public void addBinary(Binary value) {
            target.add(value.toStringUsingUTF8());
        }
    }
}
