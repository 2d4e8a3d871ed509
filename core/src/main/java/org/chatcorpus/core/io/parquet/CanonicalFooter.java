package org.chatcorpus.core.io.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Rewrites a finished Parquet file's footer in canonical order, so the same rows give the same
 * bytes in every JVM. parquet-java collects each column chunk's {@code encodings} in a HashSet of
 * enum constants, whose order follows identity hash codes and so changes from one process to the
 * next; the lists (encodings, encoding stats, key-value metadata) are sorted here. Only the footer
 * is rewritten; pages, indexes and the offsets pointing at them are untouched.
 */
final class CanonicalFooter {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private CanonicalFooter() {
    }

    static void rewrite(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long size = raf.length();
            byte[] tail = new byte[8];
            raf.seek(size - 8);
            raf.readFully(tail);
            int length = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            long start = size - 8 - length;
            byte[] footer = new byte[length];
            raf.seek(start);
            raf.readFully(footer);
            FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer));
            sort(meta);
            ByteArrayOutputStream out = new ByteArrayOutputStream(length);
            Util.writeFileMetaData(meta, out);
            byte[] sorted = out.toByteArray();
            raf.setLength(start);
            raf.seek(start);
            raf.write(sorted);
            raf.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(sorted.length).array());
            raf.write(MAGIC);
        }
    }

    static void sort(FileMetaData meta) {
        if (meta.isSetKey_value_metadata()) {
            meta.getKey_value_metadata().sort(Comparator.comparing(KeyValue::getKey));
        }
        for (RowGroup g : meta.getRow_groups()) {
            for (ColumnChunk c : g.getColumns()) {
                ColumnMetaData m = c.getMeta_data();
                if (m == null) {
                    continue;
                }
                m.getEncodings().sort(Comparator.comparingInt(e -> e.getValue()));
                if (m.isSetEncoding_stats()) {
                    m.getEncoding_stats().sort(Comparator.comparingInt((PageEncodingStats s) -> s.getPage_type().getValue())
                            .thenComparingInt(s -> s.getEncoding().getValue()));
                }
                if (m.isSetKey_value_metadata()) {
                    m.getKey_value_metadata().sort(Comparator.comparing(KeyValue::getKey));
                }
            }
        }
    }
}
