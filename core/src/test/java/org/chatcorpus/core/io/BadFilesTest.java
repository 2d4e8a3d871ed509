package org.chatcorpus.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatisticsRun;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad file is quarantined with its name and reason; every readable record, and every other file, is kept. */
class BadFilesTest {
    @TempDir
    Path dir;

    private static String record(int i) {
        return "{\"conversation_id\":\"c" + i + "\",\"model\":\"m\",\"conversation\":[{\"content\":\"prompt number " + i
                + " with some words\",\"role\":\"user\"},{\"content\":\"answer " + i + "\",\"role\":\"assistant\"}]}";
    }

    private static byte[] jsonl(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(record(i)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    private static List<String> ids(List<Conversation> cs) {
        return cs.stream().map(Conversation::conversationId).toList();
    }

    private List<Conversation> read(CountingQuarantine q, String... inputs) throws Exception {
        return new DatasetReader(List.of(inputs), null).readAll(q);
    }

    @Test
    void truncatedGzipKeepsEveryRecordBeforeTheCutAndQuarantinesTheFileByName() throws Exception {
        byte[] whole = gzip(jsonl(20_000));
        Path cut = dir.resolve("cut.jsonl.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        CountingQuarantine q = Quarantine.counting();
        List<Conversation> got = read(q, cut.toString());
        // every complete line before the cut arrives, in order, with nothing invented
        assertThat(got).isNotEmpty();
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).conversationId()).isEqualTo("c" + i);
        }
        assertThat(q.records()).hasSize(1);
        assertThat(q.records().get(0).source()).isEqualTo(cut.toString());
        assertThat(q.records().get(0).reason()).contains("gzip data ends early (file truncated?)");
        assertThat(q.records().get(0).location()).isEqualTo("after line " + got.size());
    }

    @Test
    void truncatedGzipOfFastChatLogsKeepsTheEventsBeforeTheCut() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append("{\"tstamp\":").append(1700000000 + i).append(",\"type\":\"chat\",\"model\":\"m\",\"state\":{\"conv_id\":\"c").append(i)
                    .append("\",\"offset\":0,\"messages\":[[\"USER\",\"question ").append(i).append("\"],[\"ASSISTANT\",\"answer\"]]},\"ip\":\"1.2.3.4\"}\n");
        }
        byte[] whole = gzip(sb.toString().getBytes(StandardCharsets.UTF_8));
        Path cut = dir.resolve("2024-01-01-conv.json.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        CountingQuarantine q = Quarantine.counting();
        List<Conversation> got = read(q, cut.toString());
        assertThat(got).isNotEmpty();
        assertThat(q.records()).extracting(QuarantinedRecord::reason).anyMatch(r -> r.contains("gzip data ends early"));
    }

    @Test
    void aZeroByteFileAndAnUnrecognisedFileAreQuarantinedAndTheDirectoryIsRead() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.jsonl"), jsonl(3));
        Files.write(in.resolve("b-empty.jsonl"), new byte[0]);
        Files.writeString(in.resolve("c-odd.jsonl"), "{\"foo\": 1}\n");
        CountingQuarantine q = Quarantine.counting();
        assertThat(ids(read(q, in.toString()))).containsExactly("c0", "c1", "c2");
        assertThat(q.records()).extracting(r -> Path.of(r.source()).getFileName() + ": " + r.reason()).containsExactly(
                "b-empty.jsonl: empty file (0 bytes of content); file skipped",
                "c-odd.jsonl: cannot tell its format from its content; use --format with one of parquet, fastchat-log, lmsys, sharegpt, "
                        + "openai, hh; file skipped");
    }

    @Test
    void aJsonlWhoseFirstLineIsNotJsonIsStillDetectedAndOnlyThatLineIsQuarantined() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.jsonl"), ("this is not json\n" + new String(jsonl(2), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        Files.write(in.resolve("b.jsonl"), jsonl(1));
        CountingQuarantine q = Quarantine.counting();
        assertThat(ids(read(q, in.toString()))).containsExactly("c0", "c1", "c0");
        assertThat(q.records()).extracting(QuarantinedRecord::location).containsExactly("line 1");
        assertThat(q.records().get(0).reason()).startsWith("not valid JSON");
    }

    @Test
    void aByteOrderMarkDoesNotCostTheFirstRecord() throws Exception {
        Path f = dir.resolve("bom.jsonl");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        b.write(jsonl(3));
        Files.write(f, b.toByteArray());
        CountingQuarantine q = Quarantine.counting();
        assertThat(ids(read(q, f.toString()))).containsExactly("c0", "c1", "c2");
        assertThat(q.count()).isZero();
    }

    @Test
    void symlinkedInputDirectoriesAreFollowed() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real/logs"));
        Files.write(real.resolve("a.jsonl"), jsonl(2));
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.createSymbolicLink(in.resolve("linked"), real);
        Files.createSymbolicLink(real.resolve("loop"), dir.resolve("real")); // a cycle must not hang or fail the walk
        Path top = Files.createSymbolicLink(dir.resolve("top"), in);
        assertThat(ids(read(Quarantine.counting(), in.toString()))).containsExactly("c0", "c1");
        assertThat(ids(read(Quarantine.counting(), top.toString()))).containsExactly("c0", "c1");
    }

    private static Conversation scored(int i) {
        boolean[] cats = new boolean[11];
        double[] scores = new double[11];
        java.util.SplittableRandom r = new java.util.SplittableRandom(i);
        for (int k = 0; k < 11; k++) {
            scores[k] = r.nextDouble();
        }
        return Conversation.of("id-" + i, "m", List.of(Message.user("q" + i), Message.assistant("a" + i)))
                .withModeration(List.of(new Moderation(cats, scores, false), new Moderation(cats, scores, false)));
    }

    private static void flipABitIn(Path shard, String columnSuffix) throws Exception {
        long at;
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(shard), ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            ColumnChunkMetaData col = r.getFooter().getBlocks().get(0).getColumns().stream()
                    .filter(c -> ("." + c.getPath().toDotString()).endsWith(columnSuffix)).findFirst().orElseThrow();
            at = col.getStartingPos() + col.getTotalSize() / 2;
        }
        try (RandomAccessFile raf = new RandomAccessFile(shard.toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x10);
        }
    }

    @Test
    void aFlippedBitInAParquetPageQuarantinesItsRowGroupInsteadOfChangingAValue() throws Exception {
        Path release = dir.resolve("r");
        List<Conversation> written = new ArrayList<>();
        try (ParquetShardWriter w = new ParquetShardWriter(release, Long.MAX_VALUE, false)) {
            for (int i = 0; i < 2000; i++) {
                written.add(scored(i).forRelease());
                w.write(written.get(i));
            }
        }
        Path shard = release.resolve("data/train-00000-of-00001.parquet");
        flipABitIn(shard, "category_scores.violence"); // inside the page body: scores are incompressible literals
        CountingQuarantine q = Quarantine.counting();
        List<Conversation> got = read(q, release.toString());
        // nothing comes back changed: either a row is exactly what was written or its row group is quarantined
        for (Conversation c : got) {
            assertThat(c).isEqualTo(written.get(Integer.parseInt(c.conversationId().substring(3))));
        }
        assertThat(got).hasSizeLessThan(written.size());
        assertThat(q.records()).hasSize(1);
        assertThat(q.records().get(0).source()).isEqualTo(shard.toString());
        assertThat(q.records().get(0).reason()).containsIgnoringCase("checksum");
        // stats read the model column: damaged there, the row group is quarantined instead of failing the run
        flipABitIn(shard, ".model");
        CountingQuarantine sq = Quarantine.counting();
        BasicStatistics s = StatisticsRun.compute(new DatasetReader(List.of(release.toString()), null), null, sq, Progress.silent("t"));
        assertThat(s.conversations()).isZero();
        assertThat(sq.count()).isEqualTo(1);
    }
}
