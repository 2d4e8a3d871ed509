package org.chatcorpus.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
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
}
