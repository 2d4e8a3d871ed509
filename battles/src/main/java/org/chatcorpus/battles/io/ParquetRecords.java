package org.chatcorpus.battles.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.io.RecordException;

/**
 * Parquet rows of any schema as JSON objects, so that one mapping serves a layout whether it
 * arrives as Parquet (the Hugging Face releases) or JSON. Structs become objects, LIST-annotated
 * groups arrays (3-level with any element name, or legacy 2-level), MAP groups objects, strings
 * and other binaries text (UUIDs in their canonical form), integers and floats numbers; a null list
 * element stays a JSON null.
 */
final class ParquetRecords {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ParquetRecords() {
    }

    /** Top-level column names from the footer; empty when the file is not readable as Parquet. */
    static List<String> columns(Path file) {
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
            return r.getFooter().getFileMetaData().getSchema().getFields().stream().map(Type::getName).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    static boolean isParquet(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1';
    }

    static void read(Path file, JsonRecords.Sink sink, Quarantine quarantine) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": cannot read this file");
        }
        ParquetReader.Builder<JsonNode> builder = new ParquetReader.Builder<JsonNode>(new LocalInputFile(file), new PlainParquetConfiguration()) {
            @Override
            protected ReadSupport<JsonNode> getReadSupport() {
                return new Support();
            }
        };
        long row = 0;
        try (ParquetReader<JsonNode> reader = builder.build()) {
            while (true) {
                JsonNode node;
                try {
                    node = reader.read();
                } catch (RuntimeException e) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), "row " + (row + 1),
                            "unreadable from here on: " + e.getMessage(), ""));
                    return;
                }
                if (node == null) {
                    return;
                }
                row++;
                JsonRecords.accept(file, node, "row " + row, null, sink, quarantine);
            }
        } catch (IOException | RuntimeException e) {
            quarantine.reject(new QuarantinedRecord(file.toString(), "file", "not readable as Parquet: " + e.getMessage(), ""));
        }
    }

    private static final class Support extends ReadSupport<JsonNode> {
        @Override
        public ReadContext init(InitContext context) {
            return new ReadContext(context.getFileSchema());
        }

        @Override
        public RecordMaterializer<JsonNode> prepareForRead(Configuration configuration, Map<String, String> keyValueMetaData,
                MessageType fileSchema, ReadContext readContext) {
            return materializer(readContext.getRequestedSchema());
        }

        @Override
        public RecordMaterializer<JsonNode> prepareForRead(ParquetConfiguration configuration, Map<String, String> keyValueMetaData,
                MessageType fileSchema, ReadContext readContext) {
            return materializer(readContext.getRequestedSchema());
        }

        private static RecordMaterializer<JsonNode> materializer(MessageType schema) {
            JsonNode[] current = new JsonNode[1];
            GroupConverter root = new StructConverter(schema, v -> current[0] = v);
            return new RecordMaterializer<>() {
                @Override
                public JsonNode getCurrentRecord() {
                    return current[0];
                }

                @Override
                public GroupConverter getRootConverter() {
                    return root;
                }
            };
        }
    }

    /** The converter for one field, delivering each value it reads to {@code target}. */
    static Converter converter(Type type, Consumer<JsonNode> target) {
        if (type.isPrimitive()) {
            return new ValueConverter(type, target);
        }
        GroupType g = type.asGroupType();
        LogicalTypeAnnotation a = g.getLogicalTypeAnnotation();
        if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && g.getFieldCount() == 1) {
            return new ListConverter(g, target);
        }
        if ((a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation || a instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
                && g.getFieldCount() == 1 && !g.getType(0).isPrimitive() && g.getType(0).asGroupType().getFieldCount() == 2) {
            return new MapConverter(g, target);
        }
        return new StructConverter(g, target);
    }

    private static final class StructConverter extends GroupConverter {
        private final Converter[] children;
        private final Consumer<JsonNode> target;
        private ObjectNode node;

        StructConverter(GroupType g, Consumer<JsonNode> target) {
            this.target = target;
            children = new Converter[g.getFieldCount()];
            for (int i = 0; i < children.length; i++) {
                Type f = g.getType(i);
                String name = f.getName();
                children[i] = f.isRepetition(Type.Repetition.REPEATED)
                        ? converter(f, v -> node.withArray(name).add(v)) // a bare repeated field: an array
                        : converter(f, v -> node.set(name, v));
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return children[fieldIndex];
        }

        @Override
        public void start() {
            node = NODES.objectNode();
        }

        @Override
        public void end() {
            target.accept(node);
        }
    }

    /** LIST: {@code optional group f (LIST) { repeated group list { optional T element } }} or the 2-level form. */
    private static final class ListConverter extends GroupConverter {
        private final Converter child;
        private final Consumer<JsonNode> target;
        private ArrayNode array;

        ListConverter(GroupType g, Consumer<JsonNode> target) {
            this.target = target;
            Type repeated = g.getType(0);
            boolean threeLevel = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                    && !repeated.getName().equals("array") && !repeated.getName().endsWith("_tuple");
            if (threeLevel) {
                Type element = repeated.asGroupType().getType(0);
                boolean[] seen = new boolean[1];
                Converter elementConverter = converter(element, v -> {
                    array.add(v);
                    seen[0] = true;
                });
                child = new GroupConverter() {
                    @Override
                    public Converter getConverter(int fieldIndex) {
                        return elementConverter;
                    }

                    @Override
                    public void start() {
                        seen[0] = false;
                    }

                    @Override
                    public void end() {
                        if (!seen[0]) {
                            array.addNull();
                        }
                    }
                };
            } else {
                child = converter(repeated, v -> array.add(v));
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return child;
        }

        @Override
        public void start() {
            array = NODES.arrayNode();
        }

        @Override
        public void end() {
            target.accept(array);
        }
    }

    /** MAP: {@code group f (MAP) { repeated group key_value { required K key; optional V value } }}. */
    private static final class MapConverter extends GroupConverter {
        private final Converter child;
        private final Consumer<JsonNode> target;
        private ObjectNode object;

        MapConverter(GroupType g, Consumer<JsonNode> target) {
            this.target = target;
            GroupType kv = g.getType(0).asGroupType();
            String[] key = new String[1];
            JsonNode[] value = new JsonNode[1];
            Converter keyConverter = converter(kv.getType(0), v -> key[0] = v.asText());
            Converter valueConverter = converter(kv.getType(1), v -> value[0] = v);
            child = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return fieldIndex == 0 ? keyConverter : valueConverter;
                }

                @Override
                public void start() {
                    key[0] = null;
                    value[0] = null;
                }

                @Override
                public void end() {
                    if (key[0] != null) {
                        object.set(key[0], value[0] == null ? NODES.nullNode() : value[0]);
                    }
                }
            };
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return child;
        }

        @Override
        public void start() {
            object = NODES.objectNode();
        }

        @Override
        public void end() {
            target.accept(object);
        }
    }

    private static final class ValueConverter extends PrimitiveConverter {
        private final Consumer<JsonNode> target;
        private final boolean decimal;
        private final boolean uuid;
        private final int scale;

        ValueConverter(Type type, Consumer<JsonNode> target) {
            this.target = target;
            LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
            this.decimal = a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
            this.uuid = a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation;
            this.scale = decimal ? ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) a).getScale() : 0;
        }

        @Override
        public void addBinary(Binary value) {
            if (uuid && value.length() == 16) {
                java.nio.ByteBuffer b = value.toByteBuffer();
                target.accept(NODES.textNode(new java.util.UUID(b.getLong(), b.getLong()).toString()));
                return;
            }
            target.accept(NODES.textNode(new String(value.getBytesUnsafe(), StandardCharsets.UTF_8)));
        }

        @Override
        public void addBoolean(boolean value) {
            target.accept(NODES.booleanNode(value));
        }

        @Override
        public void addDouble(double value) {
            target.accept(NODES.numberNode(value));
        }

        @Override
        public void addFloat(float value) {
            target.accept(NODES.numberNode((double) value));
        }

        @Override
        public void addInt(int value) {
            target.accept(decimal ? NODES.numberNode(java.math.BigDecimal.valueOf(value, scale)) : NODES.numberNode(value));
        }

        @Override
        public void addLong(long value) {
            target.accept(decimal ? NODES.numberNode(java.math.BigDecimal.valueOf(value, scale)) : NODES.numberNode(value));
        }
    }

}
