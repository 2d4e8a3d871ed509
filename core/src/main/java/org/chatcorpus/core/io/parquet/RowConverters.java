package org.chatcorpus.core.io.parquet;

import java.util.function.Consumer;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * Parquet converters that fill a {@link RowBuilder} directly from the column readers, built from
 * the file's own schema: list layouts of any writer (3-level with "element", "item" or another
 * name; legacy 2-level), columns in any order, unknown columns ignored, and a column of the wrong
 * physical type reported by name instead of crashing.
 */
final class RowConverters {
    private RowConverters() {
    }

    static GroupConverter root(GroupType schema, RowBuilder row) {
        Converter[] children = new Converter[schema.getFieldCount()];
        for (int i = 0; i < children.length; i++) {
            Type f = schema.getType(i);
            children[i] = switch (f.getName()) {
                case ReleaseSchema.CONVERSATION_ID -> string(f, row, s -> row.conversationId = s);
                case ReleaseSchema.MODEL -> string(f, row, s -> row.model = s);
                case ReleaseSchema.LANGUAGE -> string(f, row, s -> row.language = s);
                case ReleaseSchema.USER_ID -> userId(f, row);
                case ReleaseSchema.TURN -> turn(f, row);
                case ReleaseSchema.REDACTED -> bool(f, row, ReleaseSchema.REDACTED, b -> row.redacted = b);
                case ReleaseSchema.TSTAMP -> tstamp(f, row);
                case ReleaseSchema.CONVERSATION -> list(f, row, ReleaseSchema.CONVERSATION, RowConverters::message);
                case ReleaseSchema.OPENAI_MODERATION -> list(f, row, ReleaseSchema.OPENAI_MODERATION, RowConverters::moderation);
                default -> ignore(f);
            };
        }
        return new Group(children, row::reset, () -> { });
    }

    /** A group converter with fixed children and start/end hooks. */
    private static final class Group extends GroupConverter {
        private final Converter[] children;
        private final Runnable onStart;
        private final Runnable onEnd;

        Group(Converter[] children, Runnable onStart, Runnable onEnd) {
            this.children = children;
            this.onStart = onStart;
            this.onEnd = onEnd;
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return children[fieldIndex];
        }

        @Override
        public void start() {
            onStart.run();
        }

        @Override
        public void end() {
            onEnd.run();
        }
    }

    private static Converter wrongType(Type f, RowBuilder row, String path, String expected) {
        String found = f.isPrimitive() ? f.asPrimitiveType().getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT) : "a group";
        String message = "field `" + path + "` is " + found + ", expected " + expected;
        if (!f.isPrimitive()) {
            return ignoreThen(f, () -> row.problem(message));
        }
        return new PrimitiveConverter() {
            @Override
            public void addBinary(Binary value) {
                row.problem(message);
            }

            @Override
            public void addBoolean(boolean value) {
                row.problem(message);
            }

            @Override
            public void addDouble(double value) {
                row.problem(message);
            }

            @Override
            public void addFloat(float value) {
                row.problem(message);
            }

            @Override
            public void addInt(int value) {
                row.problem(message);
            }

            @Override
            public void addLong(long value) {
                row.problem(message);
            }
        };
    }

    private static Converter string(Type f, RowBuilder row, Consumer<String> set) {
        if (!f.isPrimitive() || f.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY) {
            return wrongType(f, row, f.getName(), "a string");
        }
        return new StringConverter(set);
    }

    /**
     * Decodes dictionary-encoded strings (model, language, role: few distinct values) once per
     * dictionary instead of once per row; plain-encoded values are decoded as they come.
     */
    private static final class StringConverter extends PrimitiveConverter {
        private final Consumer<String> set;
        private String[] decoded;

        StringConverter(Consumer<String> set) {
            this.set = set;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(org.apache.parquet.column.Dictionary dictionary) {
            decoded = new String[dictionary.getMaxId() + 1];
            for (int i = 0; i < decoded.length; i++) {
                decoded[i] = dictionary.decodeToBinary(i).toStringUsingUTF8();
            }
        }

        @Override
        public void addValueFromDictionary(int dictionaryId) {
            set.accept(decoded[dictionaryId]);
        }

        @Override
        public void addBinary(Binary value) {
            set.accept(value.toStringUsingUTF8());
        }
    }

    private static Converter userId(Type f, RowBuilder row) {
        if (!f.isPrimitive()) {
            return wrongType(f, row, ReleaseSchema.USER_ID, "a string or integer");
        }
        return new PrimitiveConverter() {
            @Override
            public void addBinary(Binary value) {
                row.userId = value.toStringUsingUTF8();
            }

            @Override
            public void addLong(long value) {
                row.userId = Long.toString(value);
            }

            @Override
            public void addInt(int value) {
                row.userId = Integer.toString(value);
            }
        };
    }

    private static Converter turn(Type f, RowBuilder row) {
        if (!f.isPrimitive() || f.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT64
                && f.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT32) {
            return wrongType(f, row, ReleaseSchema.TURN, "int64");
        }
        return new PrimitiveConverter() {
            @Override
            public void addLong(long value) {
                row.turn = value;
            }

            @Override
            public void addInt(int value) {
                row.turn = (long) value;
            }
        };
    }

    private static Converter tstamp(Type f, RowBuilder row) {
        if (!f.isPrimitive() || f.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY) {
            return wrongType(f, row, ReleaseSchema.TSTAMP, "a number");
        }
        return new PrimitiveConverter() {
            @Override
            public void addDouble(double value) {
                row.tstamp = value;
            }

            @Override
            public void addFloat(float value) {
                row.tstamp = (double) value;
            }

            @Override
            public void addLong(long value) {
                row.tstamp = (double) value;
            }
        };
    }

    private static Converter bool(Type f, RowBuilder row, String path, Consumer<Boolean> set) {
        if (!f.isPrimitive() || f.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BOOLEAN) {
            return wrongType(f, row, path, "a boolean");
        }
        return new PrimitiveConverter() {
            @Override
            public void addBoolean(boolean value) {
                set.accept(value);
            }
        };
    }

    /** Builds the converter of one list element; {@code index} gives its position for messages. */
    private interface ElementFactory {
        Converter create(Type element, RowBuilder row, String path);
    }

    private static Converter list(Type f, RowBuilder row, String name, ElementFactory elements) {
        if (f.isPrimitive() || f.asGroupType().getFieldCount() != 1 || !f.asGroupType().getType(0).isRepetition(Type.Repetition.REPEATED)) {
            return wrongType(f, row, name, "a list");
        }
        GroupType list = f.asGroupType();
        Type repeated = list.getType(0);
        boolean twoLevel = repeated.isPrimitive() || repeated.asGroupType().getFieldCount() > 1
                || repeated.getName().equals("array") || repeated.getName().equals(name + "_tuple");
        // The list group itself: a present list (even empty) is not null.
        Runnable startList = () -> {
            if (name.equals(ReleaseSchema.CONVERSATION)) {
                row.messages();
            } else {
                row.moderation();
            }
        };
        if (twoLevel) {
            Converter element = elements.create(repeated, row, name + "[]");
            return new Group(new Converter[] {element}, startList, () -> { });
        }
        Type elementType = repeated.asGroupType().getType(0);
        boolean[] seen = new boolean[1];
        Converter element = elements.create(elementType, row, name + "[]");
        if (element.isPrimitive()) {
            return new Group(new Converter[] {new Group(new Converter[] {element}, () -> { }, () -> { })}, startList, () -> { });
        }
        Group repeatedGroup = new Group(new Converter[] {new SeenTracker(element, seen)}, () -> seen[0] = false, () -> {
            if (!seen[0]) {
                row.problem("field `" + name + "[" + size(row, name) + "]` is null");
            }
        });
        return new Group(new Converter[] {repeatedGroup}, startList, () -> { });
    }

    private static int size(RowBuilder row, String name) {
        return name.equals(ReleaseSchema.CONVERSATION) ? row.messages().size() : row.moderation().size();
    }

    /** Wraps an element group converter and records that the element was present. */
    private static final class SeenTracker extends GroupConverter {
        private final GroupConverter inner;
        private final boolean[] seen;

        SeenTracker(Converter inner, boolean[] seen) {
            this.inner = inner.asGroupConverter();
            this.seen = seen;
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return inner.getConverter(fieldIndex);
        }

        @Override
        public void start() {
            seen[0] = true;
            inner.start();
        }

        @Override
        public void end() {
            inner.end();
        }
    }

    private static Converter message(Type element, RowBuilder row, String path) {
        if (element.isPrimitive()) {
            return wrongType(element, row, "conversation[]", "a struct of content and role");
        }
        GroupType g = element.asGroupType();
        String[] parts = new String[2];
        Converter[] children = new Converter[g.getFieldCount()];
        for (int i = 0; i < children.length; i++) {
            Type f = g.getType(i);
            children[i] = switch (f.getName()) {
                case "content" -> string(f, row, s -> parts[0] = s);
                case "role" -> string(f, row, s -> parts[1] = s);
                default -> ignore(f);
            };
        }
        return new Group(children, () -> {
            parts[0] = null;
            parts[1] = null;
        }, () -> {
            int i = row.messages().size();
            if (parts[1] == null) {
                row.problem("field `conversation[" + i + "].role` is null");
            } else if (parts[0] == null) {
                row.problem("field `conversation[" + i + "].content` is null");
            } else {
                row.messages().add(new Message(parts[1], parts[0]));
                return;
            }
            row.messages().add(new Message("", ""));
        });
    }

    private static Converter moderation(Type element, RowBuilder row, String path) {
        if (element.isPrimitive()) {
            return wrongType(element, row, "openai_moderation[]", "a struct");
        }
        GroupType g = element.asGroupType();
        boolean[] cats = new boolean[ModerationCategory.COUNT];
        double[] scores = new double[ModerationCategory.COUNT];
        boolean[] flagged = new boolean[1];
        Converter[] children = new Converter[g.getFieldCount()];
        for (int i = 0; i < children.length; i++) {
            Type f = g.getType(i);
            children[i] = switch (f.getName()) {
                case "categories" -> categoryGroup(f, row, "categories", (c, p) -> new PrimitiveConverter() {
                    @Override
                    public void addBoolean(boolean value) {
                        cats[c.ordinal()] = value;
                    }
                });
                case "category_scores" -> categoryGroup(f, row, "category_scores", (c, p) -> new PrimitiveConverter() {
                    @Override
                    public void addDouble(double value) {
                        scores[c.ordinal()] = value;
                    }

                    @Override
                    public void addFloat(float value) {
                        scores[c.ordinal()] = value;
                    }
                });
                case "flagged" -> bool(f, row, "openai_moderation[].flagged", b -> flagged[0] = b);
                default -> ignore(f);
            };
        }
        return new Group(children, () -> {
            java.util.Arrays.fill(cats, false);
            java.util.Arrays.fill(scores, 0);
            flagged[0] = false;
        }, () -> row.moderation().add(new Moderation(cats, scores, flagged[0])));
    }

    private interface CategoryConverter {
        PrimitiveConverter create(ModerationCategory c, Type f);
    }

    private static Converter categoryGroup(Type f, RowBuilder row, String name, CategoryConverter perCategory) {
        if (f.isPrimitive()) {
            return wrongType(f, row, "openai_moderation[]." + name, "a struct");
        }
        GroupType g = f.asGroupType();
        Converter[] children = new Converter[g.getFieldCount()];
        for (int i = 0; i < children.length; i++) {
            Type c = g.getType(i);
            ModerationCategory cat = ModerationCategory.byLabel(c.getName());
            children[i] = cat == null || !c.isPrimitive() ? ignore(c) : perCategory.create(cat, c);
        }
        return new Group(children, () -> { }, () -> { });
    }

    private static Converter ignore(Type f) {
        return ignoreThen(f, () -> { });
    }

    private static Converter ignoreThen(Type f, Runnable onValue) {
        if (f.isPrimitive()) {
            return new PrimitiveConverter() {
                @Override
                public void addBinary(Binary value) {
                    onValue.run();
                }

                @Override
                public void addBoolean(boolean value) {
                    onValue.run();
                }

                @Override
                public void addDouble(double value) {
                    onValue.run();
                }

                @Override
                public void addFloat(float value) {
                    onValue.run();
                }

                @Override
                public void addInt(int value) {
                    onValue.run();
                }

                @Override
                public void addLong(long value) {
                    onValue.run();
                }
            };
        }
        GroupType g = f.asGroupType();
        Converter[] children = new Converter[g.getFieldCount()];
        for (int i = 0; i < children.length; i++) {
            children[i] = ignoreThen(g.getType(i), onValue);
        }
        return new Group(children, onValue, () -> { });
    }
}
