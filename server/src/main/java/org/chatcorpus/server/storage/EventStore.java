package org.chatcorpus.server.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Stores every Arena event in a relational database: embedded H2 by default (zero setup), or
 * PostgreSQL when a {@code jdbc:postgresql:} URL is configured. The same portable DDL serves both.
 * Rows hold a salted hash of the user's address, never the address itself.
 *
 * <p>The database follows the conversation log, which is the record of what was acknowledged: it
 * stores each log line once, keyed by its position ({@link LoggedLine}), and keeps in the same
 * transaction how far into each log file it has stored ({@code arena_log_position}). So on start
 * ({@link #follow}) it stores whatever the log holds beyond that point — the lines a kill left
 * unstored — and while running, lines it could not take (queue full, database down) are read back
 * from the log later instead of being lost or blocking the users. Writes go through one background
 * thread in group commits.
 */
public final class EventStore implements Closeable {
    /** One stored event. {@code payload} is the event's JSON line, as written to the log file. */
    public record Event(double tstamp, String type, String convId, String models, String userHash, String payload) {
    }

    /** What {@link #follow} did on start: lines stored from the log, lines that were not events, files taken as stored. */
    public record Recovery(long caughtUp, long unreadable, List<String> assumedStored) {
        public String describe() {
            StringBuilder s = new StringBuilder();
            if (caughtUp > 0) {
                s.append("database caught up from the log: ").append(caughtUp).append(" events stored that a stop had left unstored. ");
            }
            if (unreadable > 0) {
                s.append(unreadable).append(" log lines are not JSON events and were not stored. ");
            }
            if (!assumedStored.isEmpty()) {
                s.append("database from an earlier version: ").append(assumedStored.size())
                        .append(" existing log files taken as already stored. ");
            }
            return s.toString().trim();
        }
    }

    private static final Object STOP = new Object();
    private static final int MAX_BATCH = 4096;
    private static final long LINGER_NANOS = 20_000_000L;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final String INSERT =
            "INSERT INTO arena_events (tstamp, type, conv_id, models, user_hash, payload) VALUES (?, ?, ?, ?, ?, ?)";

    private final Connection connection;
    private final String url;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(65_536);
    /** Per log file, the offset just past the last stored line (writer thread, under the connection's lock). */
    private final Map<String, Long> stored = new HashMap<>();
    /** Per log file, the offset just past the last line handed over: durable in the log, so safe to read back. */
    private final Map<String, Long> handed = new ConcurrentHashMap<>();
    /** Set when a handed line was not queued or not stored: the writer then reads the gap back from the log. */
    private final AtomicBoolean behind = new AtomicBoolean();
    private Path logDir;
    private volatile Thread writer;
    private volatile String lastError;
    private long unreadable;

    /** A marker in the queue: counted down once everything handed before it is committed (or failed). */
    private record Flush(CountDownLatch latch) {
    }

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
            st.execute("CREATE TABLE IF NOT EXISTS arena_log_position ("
                    + "log_file VARCHAR(255) PRIMARY KEY, "
                    + "next_offset BIGINT NOT NULL)");
        }
        connection.setAutoCommit(false);
    }

    /** Opens the configured database, or the embedded H2 file database under {@code dataDir}. */
    public static EventStore open(String jdbcUrl, String user, String password, Path dataDir) throws IOException {
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

    /**
     * Stores every complete line of {@code logDir}'s {@code *-conv.json} files that the database does
     * not hold yet, then starts following: call once, after the log repaired its files and before
     * the Arena serves anyone.
     */
    public synchronized Recovery follow(Path logDir) throws IOException {
        if (writer != null) {
            throw new IllegalStateException("already following " + this.logDir);
        }
        this.logDir = logDir;
        List<String> assumed = new ArrayList<>();
        long caught;
        synchronized (connection) {
            try {
                loadPositions();
                if (stored.isEmpty() && rowCount() > 0) {
                    // Rows written before positions were kept: the earlier version stored each event as it
                    // was logged, so its log files count as stored.
                    Map<String, Long> ends = new LinkedHashMap<>();
                    for (Path f : logFiles()) {
                        ends.put(f.getFileName().toString(), Files.size(f));
                        assumed.add(f.getFileName().toString());
                    }
                    savePositions(ends);
                    connection.commit();
                    stored.putAll(ends);
                }
                long before = unreadable;
                caught = 0;
                for (Path f : logFiles()) {
                    caught += catchUp(f.getFileName().toString(), Long.MAX_VALUE);
                }
                Recovery r = new Recovery(caught, unreadable - before, assumed);
                writer = new Thread(this::drain, "event-store-writer");
                writer.setDaemon(true);
                writer.start();
                return r;
            } catch (SQLException e) {
                rollback();
                throw new IOException("the Arena database " + describe() + " could not be caught up from " + logDir + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Hands over lines that are durable in the log, in log order. Never blocks: when the queue is
     * full the lines are left for the writer to read back from the log.
     */
    public void offer(List<LoggedLine> lines) {
        for (LoggedLine l : lines) {
            handed.merge(l.file(), l.end(), Math::max);
            if (!queue.offer(l)) {
                behind.set(true);
            }
        }
    }

    /** Waits until every line handed before this call is committed; throws when the database is failing. */
    public void flush() throws IOException {
        if (writer == null) {
            return; // not following yet: nothing was handed over
        }
        Flush marker = new Flush(new CountDownLatch(1));
        try {
            queue.put(marker);
            marker.latch().await();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        String error = lastError;
        if (error != null) {
            throw new IOException("the Arena database " + describe() + " is behind the log (" + error
                    + "); it keeps retrying, and the log has every event");
        }
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
        long backoff = 0;
        while (true) {
            batch.clear();
            try {
                Object first = backoff == 0 ? queue.take() : queue.poll(backoff, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    gather(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            List<LoggedLine> lines = new ArrayList<>();
            boolean stop = false;
            for (Object o : batch) {
                if (o instanceof LoggedLine l) {
                    lines.add(l);
                } else if (o == STOP) {
                    stop = true;
                }
            }
            try {
                synchronized (connection) {
                    if (backoff > 0) {
                        behind.set(true); // the batch that failed was dropped from memory
                    }
                    storeLive(lines);
                    if (behind.getAndSet(false)) {
                        for (Map.Entry<String, Long> h : Map.copyOf(handed).entrySet()) {
                            catchUp(h.getKey(), h.getValue());
                        }
                    }
                }
                if (backoff > 0) {
                    System.err.println("Arena database " + describe() + ": storing again; caught up from the log.");
                }
                backoff = 0;
                lastError = null;
            } catch (SQLException | IOException | RuntimeException e) {
                rollback();
                behind.set(true);
                if (backoff == 0) {
                    System.err.println("Arena database " + describe() + ": storing events failed (" + e.getMessage()
                            + "); retrying, and the log keeps every event meanwhile.");
                }
                lastError = e.getMessage();
                backoff = backoff == 0 ? 100 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
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
    }

    /** Stores live lines in log order; a line past a gap first brings the gap in from the log file. */
    private void storeLive(List<LoggedLine> lines) throws SQLException, IOException {
        if (lines.isEmpty()) {
            return;
        }
        List<LoggedLine> toInsert = new ArrayList<>(lines.size());
        Map<String, Long> next = new HashMap<>();
        for (LoggedLine l : lines) {
            long n = next.computeIfAbsent(l.file(), f -> stored.getOrDefault(f, 0L));
            if (l.end() <= n) {
                continue; // already stored, by a catch-up that read it from the log
            }
            if (l.offset() > n) {
                LogLines.read(logDir.resolve(l.file()), n, l.offset(), toInsert::add);
            }
            toInsert.add(l);
            next.put(l.file(), l.end());
        }
        insert(toInsert);
    }

    /** Stores the lines of one log file from the stored position up to {@code to}; returns how many. */
    private long catchUp(String file, long to) throws SQLException, IOException {
        Path path = logDir.resolve(file);
        if (!Files.exists(path)) {
            return 0;
        }
        List<LoggedLine> lines = new ArrayList<>();
        long[] count = {0};
        SQLException[] failed = {null};
        LogLines.read(path, stored.getOrDefault(file, 0L), to, l -> {
            lines.add(l);
            if (lines.size() >= MAX_BATCH && failed[0] == null) {
                try {
                    count[0] += insert(lines);
                } catch (SQLException e) {
                    failed[0] = e;
                }
                lines.clear();
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        count[0] += insert(lines);
        return count[0];
    }

    /** Inserts lines and moves the stored positions past them, in one transaction; returns the events stored. */
    private long insert(List<LoggedLine> lines) throws SQLException {
        if (lines.isEmpty()) {
            return 0;
        }
        Map<String, Long> ends = new LinkedHashMap<>();
        long events = 0;
        long skipped = 0;
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            for (LoggedLine l : lines) {
                ends.put(l.file(), l.end());
                Event e = EventFields.parse(l.json());
                if (e == null) {
                    skipped++;
                    continue;
                }
                ps.setDouble(1, e.tstamp());
                ps.setString(2, e.type());
                ps.setString(3, e.convId());
                ps.setString(4, e.models());
                ps.setString(5, e.userHash());
                ps.setString(6, e.payload());
                ps.addBatch();
                events++;
            }
            if (events > 0) {
                ps.executeBatch();
            }
        }
        savePositions(ends);
        connection.commit();
        stored.putAll(ends);
        unreadable += skipped;
        return events;
    }

    private void loadPositions() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT log_file, next_offset FROM arena_log_position")) {
            while (rs.next()) {
                stored.put(rs.getString(1), rs.getLong(2));
            }
        }
        connection.commit();
    }

    private void savePositions(Map<String, Long> ends) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE arena_log_position SET next_offset = ? WHERE log_file = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO arena_log_position (log_file, next_offset) VALUES (?, ?)")) {
            for (Map.Entry<String, Long> e : ends.entrySet()) {
                update.setLong(1, e.getValue());
                update.setString(2, e.getKey());
                if (update.executeUpdate() == 0) {
                    insert.setString(1, e.getKey());
                    insert.setLong(2, e.getValue());
                    insert.executeUpdate();
                }
            }
        }
    }

    private long rowCount() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM arena_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Path> logFiles() throws IOException {
        if (!Files.isDirectory(logDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(logDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith("-conv.json") && Files.isRegularFile(p)).sorted().toList();
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next attempt reports the real error
        }
    }

    /**
     * Group commit: after the first line, waits up to {@link #LINGER_NANOS} for more (or until a
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
            Object next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    @Override
    public void close() throws IOException {
        Thread w;
        synchronized (this) {
            w = writer;
        }
        if (w != null) {
            try {
                queue.put(STOP);
                w.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (connection) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IOException("closing the Arena database: " + e.getMessage(), e);
            }
        }
        String error = lastError;
        if (error != null) {
            throw new IOException("the Arena database " + describe() + " was behind the log when closed (" + error
                    + "); the next start catches it up from the log");
        }
    }
}
