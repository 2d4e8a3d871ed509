package org.chatcorpus.core.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of long work (rows/s and ETA) on a terminal, redrawn at most a few times a second on
 * standard error. Quiet when standard error is not a terminal or {@code CI} is set, so CI logs
 * and piped output stay clean. Thread-safe: workers call {@link #advance(long)} concurrently.
 */
public final class Progress implements AutoCloseable {
    private static final long REDRAW_NANOS = 250_000_000L;

    private final String label;
    private final long total;
    private final boolean visible;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastDraw = new AtomicLong();

    private Progress(String label, long total, boolean visible, PrintStream out) {
        this.label = label;
        this.total = total;
        this.visible = visible;
        this.out = out;
    }

    /** Progress over {@code total} units (or -1 when unknown), shown only on an interactive terminal. */
    public static Progress start(String label, long total) {
        return new Progress(label, total, isInteractive(), System.err);
    }

    /** A progress that never prints (libraries and tests). */
    public static Progress silent(String label) {
        return new Progress(label, -1, false, System.err);
    }

    public static boolean isInteractive() {
        return System.console() != null && System.getenv("CI") == null
                && !"dumb".equals(System.getenv("TERM"));
    }

    public void advance(long n) {
        long now = done.addAndGet(n);
        if (!visible) {
            return;
        }
        long t = System.nanoTime();
        long last = lastDraw.get();
        if (t - last >= REDRAW_NANOS && lastDraw.compareAndSet(last, t)) {
            draw(now, t, false);
        }
    }

    public long count() {
        return done.get();
    }

    /** Rows per second since the start. */
    public double rate() {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        return secs <= 0 ? 0 : done.get() / secs;
    }

    @Override
    public void close() {
        if (visible) {
            draw(done.get(), System.nanoTime(), true);
        }
    }

    private synchronized void draw(long n, long nowNanos, boolean last) {
        double secs = Math.max(1e-9, (nowNanos - startNanos) / 1e9);
        double rate = n / secs;
        StringBuilder sb = new StringBuilder("\r").append(label).append(": ").append(String.format(Locale.ROOT, "%,d", n));
        if (total > 0) {
            sb.append(String.format(Locale.ROOT, "/%,d (%.0f%%)", total, 100.0 * n / total));
        }
        sb.append(String.format(Locale.ROOT, "  %,.0f rows/s", rate));
        if (total > 0 && rate > 0 && n < total) {
            long eta = (long) ((total - n) / rate);
            sb.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
        } else {
            sb.append(String.format(Locale.ROOT, "  %.1fs", secs));
        }
        sb.append("\033[K");
        if (last) {
            sb.append('\n');
        }
        out.print(sb);
        out.flush();
    }
}
