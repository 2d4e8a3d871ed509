package org.chatcorpus.server.arena;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
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

/**
 * Appends events as JSON lines to {@code DIR/YYYY-MM-DD-conv.json}, one file per UTC day, the
 * layout FastChat's web server writes (get_conv_log_filename) and its monitor scripts read.
 *
 * <p>Request threads only queue their line; one writer thread appends whatever has queued and
 * flushes it to the OS after each batch, so a crash loses at most the lines of the batch in flight
 * and busy request threads never contend for the file. {@link #flush()} waits until everything
 * queued so far is written; {@link #close()} writes everything first.
 */
public final class ConversationLog implements Closeable {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final Object CLOSE = new Object();

    private record Line(double tstamp, String json) {
    }

    private final Path dir;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(65_536);
    private final Thread writer;
    private volatile IOException failure;
    private String currentDay;
    private BufferedWriter out;
    private boolean closed;

    public ConversationLog(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.writer = new Thread(this::writeLoop, "conversation-log");
        writer.setDaemon(true);
        writer.start();
    }

    public Path dir() {
        return dir;
    }

    public void append(double tstamp, String jsonLine) throws IOException {
        if (failure != null) {
            throw new IOException("conversation log " + dir + " failed: " + failure.getMessage(), failure);
        }
        put(new Line(tstamp, jsonLine));
    }

    /** Waits until every line appended before this call is written to its file. */
    public void flush() throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        put(done);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing the conversation log", e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void put(Object item) throws IOException {
        try {
            queue.put(item); // bounded: a stalled disk slows requests down instead of filling the heap
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while logging", e);
        }
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            boolean stop = false;
            List<CountDownLatch> waiting = new ArrayList<>();
            try {
                for (Object item : batch) {
                    if (item instanceof Line l) {
                        write(l);
                    } else if (item instanceof CountDownLatch latch) {
                        waiting.add(latch);
                    } else if (item == CLOSE) {
                        stop = true;
                    }
                }
                if (out != null) {
                    out.flush();
                }
            } catch (IOException e) {
                failure = e;
            }
            waiting.forEach(CountDownLatch::countDown);
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void write(Line l) throws IOException {
        String day = DAY.format(Instant.ofEpochMilli((long) (l.tstamp() * 1000)));
        if (!day.equals(currentDay)) {
            if (out != null) {
                out.close();
            }
            out = Files.newBufferedWriter(dir.resolve(day + "-conv.json"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            currentDay = day;
        }
        out.write(l.json());
        out.write('\n');
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        put(CLOSE);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (out != null) {
            out.close();
            out = null;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
