package org.chatcorpus.core.io.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a written Parquet file's footer the same bytes on every run. parquet-java collects each
 * column chunk's encodings in a HashSet of enums, whose order follows identity hash codes and so
 * changes from one JVM to the next: two runs of the same job wrote shards that differed only in
 * the order of those lists. Sorting them (by their Thrift value) after the file is closed keeps
 * the meaning and makes the file a function of its rows.
 */
public final class ParquetFooters {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private ParquetFooters() {
    }

    /** Rewrites the footer of {@code file} in place with every encoding list in a fixed order. */
    public static void normalize(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer tail = read(ch, size - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
            int length = tail.getInt(0);
            long start = size - 8 - length;
            if (length <= 0 || start < MAGIC.length) {
                throw new IOException(file + ": not a Parquet file (footer length " + length + ")");
            }
            FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(read(ch, start, length).array()));
            for (RowGroup group : meta.getRow_groups()) {
                for (ColumnChunk chunk : group.getColumns()) {
                    sort(chunk.getMeta_data());
                }
            }
            ByteArrayOutputStream footer = new ByteArrayOutputStream(length);
            Util.writeFileMetaData(meta, footer);
            ByteBuffer out = ByteBuffer.allocate(footer.size() + 8).order(ByteOrder.LITTLE_ENDIAN);
            out.put(footer.toByteArray()).putInt(footer.size()).put(MAGIC).flip();
            while (out.hasRemaining()) {
                ch.write(out, start + out.position());
            }
            ch.truncate(start + footer.size() + 8L);
        }
    }

    private static void sort(ColumnMetaData m) {
        if (m == null) {
            return;
        }
        List<Encoding> encodings = new ArrayList<>(m.getEncodings());
        encodings.sort(Comparator.comparingInt(Encoding::getValue));
        m.setEncodings(encodings);
        if (m.getEncoding_stats() != null) {
            List<PageEncodingStats> stats = new ArrayList<>(m.getEncoding_stats());
            stats.sort(Comparator.<PageEncodingStats>comparingInt(s -> s.getPage_type().getValue())
                    .thenComparingInt(s -> s.getEncoding().getValue()));
            m.setEncoding_stats(stats);
        }
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b;
    }
}
