package org.chatcorpus.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.chatcorpus.core.model.Conversation;

/**
 * Reads what a user named (files, directories, globs) in any supported format into conversations,
 * streaming. Files of one format are read in parallel on all cores when the format allows it
 * (each file independent); FastChat logs are read together, since a conversation's last state
 * may be in a later file.
 */
public final class DatasetReader {
    private final List<String> inputs;
    private final String format;
    private final java.util.Set<String> columns;

    public DatasetReader(List<String> inputs, String format) {
        this(inputs, format, null);
    }

    private DatasetReader(List<String> inputs, String format, java.util.Set<String> columns) {
        this.inputs = List.copyOf(inputs);
        this.format = format;
        this.columns = columns;
    }

    /**
     * The same inputs, reading only these release columns where the format can skip the others
     * (Parquet); other formats still parse whole records.
     */
    public DatasetReader withColumns(java.util.Set<String> wanted) {
        return new DatasetReader(inputs, format, wanted);
    }

    private ConversationReader readerFor(Readers.Group g) {
        if (columns != null && g.reader() instanceof org.chatcorpus.core.io.parquet.ParquetConversationReader) {
            return org.chatcorpus.core.io.parquet.ParquetConversationReader.projected(columns);
        }
        return g.reader();
    }

    /** The format forced by the user, or null when detected per file. */
    public String forcedFormat() {
        return format;
    }

    /** The input files these inputs expand to, sorted. */
    public List<Path> files() throws IOException {
        return InputFiles.expand(inputs);
    }

    /** Reads everything; {@code sink} must be thread-safe when {@code parallel}. */
    public void read(Consumer<Conversation> sink, Quarantine quarantine, boolean parallel) throws IOException {
        for (Readers.Group g : Readers.group(files(), format, quarantine)) {
            ConversationReader reader = readerFor(g);
            if (parallel && reader instanceof org.chatcorpus.core.io.parquet.ParquetConversationReader pq) {
                readParquetInParallel(pq, g.files(), sink, quarantine);
            } else if (reader.format().equals("fastchat-log") || !parallel || g.files().size() == 1) {
                reader.readAll(g.files(), sink, quarantine);
            } else {
                try {
                    ForkJoinPool.commonPool().submit(() -> g.files().parallelStream().forEach(f -> {
                        try {
                            reader.read(f, sink, quarantine);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    throw new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    /** Parquet splits by row groups (64 MiB byte ranges), so even one large file uses every core. */
    private static void readParquetInParallel(org.chatcorpus.core.io.parquet.ParquetConversationReader reader, List<Path> files,
            Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        List<Runnable> tasks = new ArrayList<>();
        for (Path f : files) {
            for (long[] r : org.chatcorpus.core.io.parquet.ParquetConversationReader.ranges(f, 64L << 20)) {
                tasks.add(() -> {
                    try {
                        reader.readRange(f, r[0], r[1], sink, quarantine);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        try {
            ForkJoinPool.commonPool().submit(() -> tasks.parallelStream().forEach(Runnable::run)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Reads everything, in file order, on the calling thread. */
    public List<Conversation> readAll(Quarantine quarantine) throws IOException {
        List<Conversation> out = new ArrayList<>();
        read(out::add, quarantine, false);
        return out;
    }

    /**
     * A pull-style view with backpressure: a background thread reads into a bounded queue. The
     * iterator rethrows a read failure when it reaches it.
     */
    public java.util.Iterator<Conversation> iterator(Quarantine quarantine, int capacity) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(capacity);
        Object end = new Object();
        Thread t = new Thread(() -> {
            Object last = end;
            try {
                read(c -> {
                    try {
                        queue.put(c);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("reader interrupted", e);
                    }
                }, quarantine, false);
            } catch (IOException | RuntimeException e) {
                last = e;
            }
            try {
                queue.put(last == end ? end : new Failure((Exception) last));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dataset-reader");
        t.setDaemon(true);
        t.start();
        return new java.util.Iterator<>() {
            Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                if (next instanceof Failure f) {
                    throw f.e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) f.e;
                }
                return next != end;
            }

            @Override
            public Conversation next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Conversation c = (Conversation) next;
                next = null;
                return c;
            }
        };
    }

    private record Failure(Exception e) {
    }
}
