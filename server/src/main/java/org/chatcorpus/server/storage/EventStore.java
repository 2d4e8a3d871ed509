package org.chatcorpus.server.storage;

import java.io.Closeable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stores every Arena event in a relational database: embedded H2 by default (zero setup), or
 * PostgreSQL when a {@code jdbc:postgresql:} URL is configured. The same portable DDL serves both.
 * Writes go through one background thread in batches, so request threads never wait on the disk;
 * {@link #flush()} waits until everything queued so far is stored. Rows hold a salted hash of the
 * user's address, never the address itself.
 */
public final class EventStore implements Closeable {
    /** One stored event. {@code payload} is the event's JSON line, as written to the log file. */
    public record Event(double tstamp, String type, String convId, String models, String userHash, String payload) {
    }

    private static final Event STOP = new Event(0, "__stop__", null, null, null, "");

    private final Connection connection;
    private final String url;
    private static final int MAX_BATCH = 4096;
    private static final long LINGER_NANOS = 20_000_000L;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(65_536);
    private final Thread writer;
    private volatile SQLException failure;

    private EventStore(Connection connection, String url) throws SQLException {
        this.connection = connection;
        this.url = url;
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS arena_events ("
                    + "tstamp DOUBLE PRECISION NOT NULL, "
                    + "type VARCHAR(32) NOT NULL, "
                    + "conv_id VARCHAR(128), "
                    + "models VARCHAR(1024), "
                    + "user_hash VARCHAR(64), "
                    + "payload TEXT NOT NULL)");
        }
        connection.setAutoCommit(false);
        writer = new Thread(this::drain, "event-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens the configured database, or the embedded H2 file database under {@code dataDir}. */
    public static EventStore open(String jdbcUrl, String user, String password, java.nio.file.Path dataDir) throws IOException {
        String url = jdbcUrl != null && !jdbcUrl.isBlank() ? jdbcUrl
                : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("arena-db") + ";DB_CLOSE_ON_EXIT=FALSE";
        try {
            Connection c = DriverManager.getConnection(url, user == null ? (url.startsWith("jdbc:h2:") ? "sa" : null) : user,
                    password == null ? "" : password);
            return new EventStore(c, url);
        } catch (SQLException e) {
            throw new IOException("cannot open the Arena database " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    /** The JDBC URL without credentials, for logs and the startup banner. */
    public String describe() {
        return redact(url);
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&;]*", "password=***");
    }

    /** Queues an event; blocks only when 65k events are already waiting (backpressure). */
    public void append(Event e) throws IOException {
        checkFailure();
        try {
            queue.put(e);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while storing an event", ie);
        }
    }

    /** A marker in the queue: counted down once everything queued before it is committed. */
    private record Flush(CountDownLatch latch) {
    }

    /** Waits until all events queued before this call are committed. */
    public void flush() throws IOException {
        Flush marker = new Flush(new CountDownLatch(1));
        try {
            queue.put(marker);
            marker.latch().await();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        checkFailure();
    }

    public long count(String type) throws IOException {
        flush();
        synchronized (connection) {
            try (PreparedStatement ps = connection.prepareStatement(
                    type == null ? "SELECT COUNT(*) FROM arena_events" : "SELECT COUNT(*) FROM arena_events WHERE type = ?")) {
                if (type != null) {
                    ps.setString(1, type);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long n = rs.getLong(1);
                    connection.commit();
                    return n;
                }
            } catch (SQLException e) {
                throw new IOException("counting events: " + e.getMessage(), e);
            }
        }
    }

    /** All events in insertion order (tests, exports). */
    public List<Event> all() throws IOException {
        flush();
        synchronized (connection) {
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT tstamp, type, conv_id, models, user_hash, payload FROM arena_events ORDER BY tstamp")) {
                List<Event> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Event(rs.getDouble(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                }
                connection.commit();
                return out;
            } catch (SQLException e) {
                throw new IOException("reading events: " + e.getMessage(), e);
            }
        }
    }

    private void drain() {
        List<Object> batch = new ArrayList<>();
        try {
            while (true) {
                batch.clear();
                batch.add(queue.take());
                gather(batch);
                boolean stop = false;
                synchronized (connection) {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "INSERT INTO arena_events (tstamp, type, conv_id, models, user_hash, payload) VALUES (?, ?, ?, ?, ?, ?)")) {
                        int n = 0;
                        for (Object o : batch) {
                            if (o instanceof Event e && e != STOP) {
                                ps.setDouble(1, e.tstamp());
                                ps.setString(2, e.type());
                                ps.setString(3, e.convId());
                                ps.setString(4, e.models());
                                ps.setString(5, e.userHash());
                                ps.setString(6, e.payload());
                                ps.addBatch();
                                n++;
                            } else if (o == STOP) {
                                stop = true;
                            }
                        }
                        if (n > 0) {
                            ps.executeBatch();
                        }
                        connection.commit();
                    } catch (SQLException e) {
                        failure = e;
                    }
                }
                for (Object o : batch) {
                    if (o instanceof Flush f) {
                        f.latch().countDown();
                    }
                }
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Group commit: after the first event, waits up to {@link #LINGER_NANOS} for more (or until a
     * batch is full), so a busy Arena commits a few dozen times a second instead of once per event;
     * each H2 commit rewrites pages, and committing every event cost the server a tenth of its CPU.
     * A flush or stop marker ends the wait at once, so {@link #flush()} never lingers.
     */
    private void gather(List<Object> batch) throws InterruptedException {
        long deadline = System.nanoTime() + LINGER_NANOS;
        while (batch.size() < MAX_BATCH && !(batch.get(batch.size() - 1) instanceof Flush) && batch.get(batch.size() - 1) != STOP) {
            int before = batch.size();
            queue.drainTo(batch, MAX_BATCH - batch.size());
            for (int i = before; i < batch.size(); i++) {
                if (batch.get(i) instanceof Flush || batch.get(i) == STOP) {
                    return;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || batch.size() >= MAX_BATCH) {
                return;
            }
            Object next = queue.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw new IOException("the Arena database rejected events: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            queue.put(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (connection) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IOException("closing the Arena database: " + e.getMessage(), e);
            }
        }
        checkFailure();
    }
}
