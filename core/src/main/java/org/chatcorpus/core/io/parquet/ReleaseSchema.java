package org.chatcorpus.core.io.parquet;

import static org.apache.parquet.schema.LogicalTypeAnnotation.listType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * The LMSYS-Chat-1M Parquet schema, as pyarrow / Hugging Face datasets write it: every column
 * optional (nullable), lists in the standard 3-level layout ({@code LIST} group / repeated group
 * {@code list} / {@code element}), structs as groups, strings as UTF-8 binary. We name list
 * elements "element" (the Parquet spec's name, pyarrow's default since 13) and read "item"
 * (older pyarrow and HF releases) and legacy 2-level lists too.
 */
public final class ReleaseSchema {
    public static final String CONVERSATION_ID = "conversation_id";
    public static final String MODEL = "model";
    public static final String CONVERSATION = "conversation";
    public static final String TURN = "turn";
    public static final String LANGUAGE = "language";
    public static final String OPENAI_MODERATION = "openai_moderation";
    public static final String REDACTED = "redacted";
    public static final String USER_ID = "user_id";
    public static final String TSTAMP = "tstamp";

    private ReleaseSchema() {
    }

    /** The release schema; with {@code collectionColumns}, also user_id and tstamp (pre-release files). */
    public static MessageType schema(boolean collectionColumns) {
        Types.GroupBuilder<MessageType> b = Types.buildMessage()
                .optional(BINARY).as(stringType()).named(CONVERSATION_ID)
                .optional(BINARY).as(stringType()).named(MODEL)
                .addField(list(CONVERSATION, Types.optionalGroup()
                        .optional(BINARY).as(stringType()).named("content")
                        .optional(BINARY).as(stringType()).named("role")
                        .named("element")))
                .optional(INT64).named(TURN)
                .optional(BINARY).as(stringType()).named(LANGUAGE)
                .addField(list(OPENAI_MODERATION, moderationElement()))
                .optional(BOOLEAN).named(REDACTED);
        if (collectionColumns) {
            b.optional(BINARY).as(stringType()).named(USER_ID).optional(DOUBLE).named(TSTAMP);
        }
        return b.named("schema");
    }

    private static GroupType moderationElement() {
        Types.GroupBuilder<GroupType> cats = Types.optionalGroup();
        Types.GroupBuilder<GroupType> scores = Types.optionalGroup();
        for (ModerationCategory c : ModerationCategory.all()) {
            cats.optional(BOOLEAN).named(c.label());
            scores.optional(DOUBLE).named(c.label());
        }
        return Types.optionalGroup()
                .addField(cats.named("categories"))
                .addField(scores.named("category_scores"))
                .optional(BOOLEAN).named("flagged")
                .named("element");
    }

    private static GroupType list(String name, Type element) {
        return Types.optionalGroup().as(listType())
                .addField(Types.repeatedGroup().addField(element).named("list"))
                .named(name);
    }
}
