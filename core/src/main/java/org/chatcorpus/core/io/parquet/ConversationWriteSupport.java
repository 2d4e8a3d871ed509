package org.chatcorpus.core.io.parquet;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.text.Utf16;

/**
 * Writes a Conversation straight to Parquet's record consumer, field by field, in the order of
 * {@link ReleaseSchema}: no intermediate row objects, which keeps writing fast and lean. Strings are
 * scrubbed by {@link Utf16}'s rule (unpaired surrogate to U+FFFD) rather than left to
 * {@code String.getBytes}, which would write '?'.
 */
final class ConversationWriteSupport extends WriteSupport<Conversation> {
    private final boolean collectionColumns;
    private final MessageType schema;
    private RecordConsumer out;

    ConversationWriteSupport(boolean collectionColumns) {
        this.collectionColumns = collectionColumns;
        this.schema = ReleaseSchema.schema(collectionColumns);
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return context();
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return context();
    }

    private WriteContext context() {
        // Sorted: every map that reaches a file is written in key order (same input, same bytes).
        java.util.TreeMap<String, String> meta = new java.util.TreeMap<>();
        meta.put("writer", "chatcorpus");
        return new WriteContext(schema, meta);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(Conversation c) {
        out.startMessage();
        string(0, ReleaseSchema.CONVERSATION_ID, c.conversationId());
        string(1, ReleaseSchema.MODEL, c.model());
        messages(c.conversation());
        out.startField(ReleaseSchema.TURN, 3);
        out.addLong(c.turn());
        out.endField(ReleaseSchema.TURN, 3);
        string(4, ReleaseSchema.LANGUAGE, c.language());
        moderation(c.openaiModeration());
        out.startField(ReleaseSchema.REDACTED, 6);
        out.addBoolean(c.redacted());
        out.endField(ReleaseSchema.REDACTED, 6);
        if (collectionColumns) {
            if (c.userId() != null) {
                string(7, ReleaseSchema.USER_ID, c.userId());
            }
            if (c.tstamp() != null) {
                out.startField(ReleaseSchema.TSTAMP, 8);
                out.addDouble(c.tstamp());
                out.endField(ReleaseSchema.TSTAMP, 8);
            }
        }
        out.endMessage();
    }

    private void string(int index, String name, String value) {
        out.startField(name, index);
        out.addBinary(Binary.fromString(Utf16.scrub(value)));
        out.endField(name, index);
    }

    private void messages(List<Message> messages) {
        out.startField(ReleaseSchema.CONVERSATION, 2);
        out.startGroup();
        if (!messages.isEmpty()) {
            out.startField("list", 0);
            for (Message m : messages) {
                out.startGroup();
                out.startField("element", 0);
                out.startGroup();
                string(0, "content", m.content());
                string(1, "role", m.role());
                out.endGroup();
                out.endField("element", 0);
                out.endGroup();
            }
            out.endField("list", 0);
        }
        out.endGroup();
        out.endField(ReleaseSchema.CONVERSATION, 2);
    }

    private void moderation(List<Moderation> list) {
        out.startField(ReleaseSchema.OPENAI_MODERATION, 5);
        out.startGroup();
        if (!list.isEmpty()) {
            out.startField("list", 0);
            for (Moderation m : list) {
                out.startGroup();
                out.startField("element", 0);
                out.startGroup();
                out.startField("categories", 0);
                out.startGroup();
                for (ModerationCategory c : ModerationCategory.all()) {
                    out.startField(c.label(), c.ordinal());
                    out.addBoolean(m.category(c));
                    out.endField(c.label(), c.ordinal());
                }
                out.endGroup();
                out.endField("categories", 0);
                out.startField("category_scores", 1);
                out.startGroup();
                for (ModerationCategory c : ModerationCategory.all()) {
                    out.startField(c.label(), c.ordinal());
                    out.addDouble(m.score(c));
                    out.endField(c.label(), c.ordinal());
                }
                out.endGroup();
                out.endField("category_scores", 1);
                out.startField("flagged", 2);
                out.addBoolean(m.flagged());
                out.endField("flagged", 2);
                out.endGroup();
                out.endField("element", 0);
                out.endGroup();
            }
            out.endField("list", 0);
        }
        out.endGroup();
        out.endField(ReleaseSchema.OPENAI_MODERATION, 5);
    }
}
