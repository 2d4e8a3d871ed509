package org.chatcorpus.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.chatcorpus.report.PromptSampler.Prompt;

/**
 * Writes {@code topics.parquet}: one row per sampled prompt with {@code conversation_id},
 * {@code message_index} (the prompt's position in the conversation, 0-based) and {@code cluster}
 * (the report's topic id, 0 = largest), with parquet-java's local-file API (no Hadoop file system).
 */
public final class TopicAssignments {
    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            "message topic_assignment { required binary conversation_id (STRING); required int32 message_index; required int32 cluster; }");

    private TopicAssignments() {
    }

    public static void write(Path file, TopicClustering.Result r) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".inprogress");
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(tmp))
                .withConf(new PlainParquetConfiguration())
                .withType(SCHEMA)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build()) {
            for (int i = 0; i < r.prompts().size(); i++) {
                Prompt p = r.prompts().get(i);
                w.write(groups.newGroup().append("conversation_id", p.conversationId()).append("message_index", p.messageIndex())
                        .append("cluster", r.assignments()[i]));
            }
        }
        org.chatcorpus.core.io.parquet.ParquetFooters.normalize(tmp); // the same bytes on every run
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One row of {@code topics.parquet}. */
    public record Row(String conversationId, int messageIndex, int cluster) {
    }

    /** Reads a {@code topics.parquet} back (for verbs that pick prompts per topic); the error names the file. */
    public static List<Row> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("topic assignments " + file + " not found (the report writes DIR/topics.parquet)");
        }
        List<Row> rows = new ArrayList<>();
        ParquetReader.Builder<Group> builder = new ParquetReader.Builder<Group>(new LocalInputFile(file), new PlainParquetConfiguration()) {
            @Override
            protected ReadSupport<Group> getReadSupport() {
                return new GroupReadSupport();
            }
        };
        try (ParquetReader<Group> reader = builder.build()) {
            for (Group g; (g = reader.read()) != null; ) {
                rows.add(new Row(g.getString("conversation_id", 0), g.getInteger("message_index", 0), g.getInteger("cluster", 0)));
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("topic assignments " + file + ": expected columns conversation_id, message_index, cluster ("
                    + e.getMessage() + ")", e);
        }
        return rows;
    }
}
