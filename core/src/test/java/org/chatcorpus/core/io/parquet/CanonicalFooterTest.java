package org.chatcorpus.core.io.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The footer of every shard lists each column chunk's encodings in one order, whatever the JVM. */
class CanonicalFooterTest {
    @TempDir
    Path dir;

    static FileMetaData footer(Path parquet) throws Exception {
        byte[] all = Files.readAllBytes(parquet);
        int length = ByteBuffer.wrap(all, all.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Util.readFileMetaData(new ByteArrayInputStream(all, all.length - 8 - length, length));
    }

    @Test
    void everyColumnChunkListsItsEncodingsSortedAndTheFileStaysReadable() throws Exception {
        SyntheticCorpus corpus = new SyntheticCorpus(5);
        try (ParquetShardWriter w = new ParquetShardWriter(dir, Long.MAX_VALUE, true)) {
            for (int i = 0; i < 500; i++) {
                w.write(corpus.conversation(i));
            }
        }
        Path shard = dir.resolve("data/train-00000-of-00001.parquet");
        int multi = 0;
        for (RowGroup g : footer(shard).getRow_groups()) {
            for (ColumnChunk c : g.getColumns()) {
                List<Integer> values = new ArrayList<>(c.getMeta_data().getEncodings().stream().map(Encoding::getValue).toList());
                List<Integer> sorted = new ArrayList<>(values);
                sorted.sort(null);
                assertThat(values).as(String.join(".", c.getMeta_data().getPath_in_schema())).isEqualTo(sorted);
                multi += values.size() > 1 ? 1 : 0;
            }
        }
        assertThat(multi).as("columns with several encodings, where order can vary").isGreaterThan(5);
        assertThat(new DatasetReader(List.of(dir.toString()), null).readAll(Quarantine.counting())).hasSize(500);
    }
}
