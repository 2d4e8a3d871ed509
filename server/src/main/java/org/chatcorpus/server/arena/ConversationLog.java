package org.chatcorpus.server.arena;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.server.storage.LoggedLine;

/**
 * Appends events as JSON lines to {@code DIR/YYYY-MM-DD-conv.json}, one file per UTC day, the
 * layout FastChat's web server writes (get_conv_log_filename) and its monitor scripts read. It is
 * the Arena's record of what it acknowledged.
 *
 * <p>{@link #append} returns only once its line is written and forced to the disk: one writer
 * thread takes whatever has queued, writes it in one go and forces it once (group commit), so a
 * user is told "done" only for an event that survives a kill or a power cut. Text is written by
 * the project's one rule (unpaired surrogates become U+FFFD), so no line can stop the writer; a
 * failed write is cut back off the file and reported to the requests whose lines it held, and the
 * next batch starts afresh. A torn last line (a crash in the middle of a write, never acknowledged)
 * is cut off when the log is opened, and counted in {@link #repaired()}.
 *
 * <p>Durable lines are handed, in log order, to {@code onDurable} (the database follows the log).
 */
public final class ConversationLog implements Closeable {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final Object CLOSE = new Object();
    private static final int MAX_BATCH = 4096;

    /** A partial last line cut off a log file: where it started and how many bytes it had. */
    public record TornLine(String file, long offset, long bytes) {
        public String describe() {
            return file + ": cut off a torn last line (" + bytes + " bytes at offset " + offset
                    + ") left by a crash in the middle of a write; it was never acknowledged";
        }
    }

    /** A line waiting for its group commit. */
    private static final class Pending {
        final double tstamp;
        final String json;
        final CountDownLatch done = new CountDownLatch(1);
        LoggedLine line;
        IOException error;

        Pending(double tstamp, String json) {
            this.tstamp = tstamp;
            this.json = json;
        }
    }

    private final Path dir;
    private final Consumer<List<LoggedLine>> onDurable;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(65_536);
    private final List<TornLine> repaired = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread writer;
    private volatile boolean closed;
    private String currentFile;
    private FileChannel channel;

    private ConversationLog(Path dir, Consumer<List<LoggedLine>> onDurable) {
        this.dir = dir;
        this.onDurable = onDurable;
        this.writer = new Thread(this::writeLoop, "conversation-log");
        writer.setDaemon(true);
    }

    /** Opens the log directory, cutting torn last lines off its files, and starts the writer. */
    public static ConversationLog open(Path dir, Consumer<List<LoggedLine>> onDurable) throws IOException {
        ConversationLog log = new ConversationLog(Files.createDirectories(dir), onDurable);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith("-conv.json") && Files.isRegularFile(p)).sorted().toList()) {
                log.repair(f);
            }
        }
        log.writer.start();
        return log;
    }

    /** A log whose durable lines go nowhere else (tools and tests that need only the files). */
    public static ConversationLog open(Path dir) throws IOException {
        return open(dir, lines -> { });
    }

    public Path dir() {
        return dir;
    }

    /** Torn last lines cut off since the log was opened. */
    public List<TornLine> repaired() {
        return List.copyOf(repaired);
    }

    /**
     * Appends one event and waits until it is on the disk; returns where it was written. Throws when
     * the write failed: the event is then not in the log, and the caller must not acknowledge it.
     */
    public LoggedLine append(double tstamp, String jsonLine) throws IOException {
        if (closed) {
            throw new IOException("the conversation log " + dir + " is closed");
        }
        Pending p = new Pending(tstamp, jsonLine);
        try {
            queue.put(p); // bounded: a stalled disk slows requests down instead of filling the heap
            p.done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while logging", e);
        }
        if (p.error != null) {
            throw p.error;
        }
        return p.line;
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            List<Pending> pending = new ArrayList<>(batch.size());
            boolean stop = false;
            for (Object item : batch) {
                if (item instanceof Pending p) {
                    pending.add(p);
                } else if (item == CLOSE) {
                    stop = true;
                }
            }
            List<LoggedLine> durable = new ArrayList<>(pending.size());
            for (int i = 0; i < pending.size(); ) {
                String file = fileOf(pending.get(i));
                int j = i + 1;
                while (j < pending.size() && fileOf(pending.get(j)).equals(file)) {
                    j++;
                }
                writeGroup(file, pending.subList(i, j), durable);
                i = j;
            }
            if (!durable.isEmpty()) {
                try {
                    onDurable.accept(durable);
                } catch (RuntimeException e) {
                    System.err.println("conversation log " + dir + ": handing lines to the database failed (" + e.getMessage()
                            + "); they are in the log and the database catches up on start");
                }
            }
            pending.forEach(p -> p.done.countDown());
            batch.clear();
            if (stop) {
                closeChannel();
                List<Object> late = new ArrayList<>();
                queue.drainTo(late); // appends that raced with close: refused, never left waiting
                for (Object item : late) {
                    if (item instanceof Pending p) {
                        p.error = new IOException("the conversation log " + dir + " is closed");
                        p.done.countDown();
                    }
                }
                return;
            }
        }
    }

    private static String fileOf(Pending p) {
        return DAY.format(Instant.ofEpochMilli((long) (p.tstamp * 1000))) + "-conv.json";
    }

    /** Writes lines for one file in one write and one force; on failure, cuts them back off and reports them. */
    private void writeGroup(String file, List<Pending> group, List<LoggedLine> durable) {
        long start = -1;
        try {
            FileChannel ch = channelFor(file);
            start = ch.size();
            ByteArrayOutputStream buf = new ByteArrayOutputStream(group.size() * 1024);
            long[] offsets = new long[group.size() + 1];
            String[] texts = new String[group.size()];
            for (int k = 0; k < group.size(); k++) {
                texts[k] = Utf16.scrub(group.get(k).json);
                offsets[k] = start + buf.size();
                buf.write(texts[k].getBytes(StandardCharsets.UTF_8));
                buf.write('\n');
            }
            offsets[group.size()] = start + buf.size();
            ByteBuffer bytes = ByteBuffer.wrap(buf.toByteArray());
            long pos = start;
            while (bytes.hasRemaining()) {
                pos += ch.write(bytes, pos);
            }
            ch.force(false);
            for (int k = 0; k < group.size(); k++) {
                Pending p = group.get(k);
                p.line = new LoggedLine(file, offsets[k], offsets[k + 1], texts[k]);
                durable.add(p.line);
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            // Whatever went wrong fails these lines only: the writer itself never stops.
            if (start >= 0 && channel != null) {
                try {
                    channel.truncate(start);
                } catch (IOException ignored) {
                    // the file is reopened, and a torn tail repaired, before the next write
                }
            }
            closeChannel();
            IOException error = new IOException("the conversation log " + dir.resolve(file) + " could not be written ("
                    + e.getMessage() + "); the event was not recorded", e);
            for (Pending p : group) {
                p.error = error;
            }
        }
    }

    private FileChannel channelFor(String file) throws IOException {
        if (channel != null && file.equals(currentFile)) {
            return channel;
        }
        closeChannel();
        Path path = dir.resolve(file);
        if (Files.exists(path)) {
            repair(path);
        }
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        currentFile = file;
        return channel;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a channel whose writes were forced loses nothing
            }
            channel = null;
            currentFile = null;
        }
    }

    /** Cuts a partial last line (no newline at the end) off the file, and records it for {@link #repaired()}. */
    private void repair(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return;
            }
            long keep = lastNewlineEnd(ch, size);
            if (keep < size) {
                ch.truncate(keep);
                ch.force(false);
                repaired.add(new TornLine(file.getFileName().toString(), keep, size - keep));
            }
        }
    }

    /** The offset just past the file's last newline (0 when it has none), reading backwards in blocks. */
    private static long lastNewlineEnd(FileChannel ch, long size) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(1 << 16);
        long end = size;
        while (end > 0) {
            long from = Math.max(0, end - block.capacity());
            block.clear().limit((int) (end - from));
            int read = 0;
            while (block.hasRemaining()) {
                int n = ch.read(block, from + read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            for (int i = read - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return from + i + 1;
                }
            }
            end = from;
        }
        return 0;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(CLOSE);
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
