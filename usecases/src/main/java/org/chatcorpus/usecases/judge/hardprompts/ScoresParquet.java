package org.chatcorpus.usecases.judge.hardprompts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
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
import org.chatcorpus.core.text.Utf16;

/**
 * Writes {@code scores.parquet}: one row per scored (prompt, judge) with {@code conversation_id},
 * {@code prompt}, {@code judge} and {@code score}, with parquet-java's local-file API as the report's
 * topics.parquet is written (no Hadoop file system). Written under a temporary name and renamed, so
 * a killed run leaves no half file.
 */
final class ScoresParquet {
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            "message prompt_score { required binary conversation_id (STRING); required binary prompt (STRING);"
                    + " required binary judge (STRING); required double score; }");

    record Row(String conversationId, String prompt, String judge, double score) {
    }

    private ScoresParquet() {
    }

    static void write(Path file, List<Row> rows) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".inprogress");
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(tmp))
                .withConf(new PlainParquetConfiguration())
                .withType(SCHEMA)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build()) {
            for (Row r : rows) {
                // Parquet strings are UTF-8: a lone surrogate in a prompt is replaced, by the project's one rule.
                w.write(groups.newGroup().append("conversation_id", Utf16.scrub(r.conversationId())).append("prompt", Utf16.scrub(r.prompt()))
                        .append("judge", r.judge()).append("score", r.score()));
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
