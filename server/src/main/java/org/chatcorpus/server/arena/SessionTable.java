package org.chatcorpus.server.arena;

import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Arena's sessions, bounded without ever logging a live user out. A session is created only
 * when its user accepts the terms (so requests without a cookie, however many, create nothing),
 * and each request marks it active. When the table is full, room is made only by dropping the
 * sessions idle longest, and only those idle for the configured time; if every session is live, the
 * newcomer is refused with a 503 instead (a flood can delay newcomers, never evict users).
 */
final class SessionTable {
    private final ConcurrentHashMap<String, ArenaSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final int max;
    private final long idleNanos;
    /** No session can be evicted before this time (nanoTime): spares a scan per refused newcomer. */
    private long noneIdleUntil = Long.MIN_VALUE;

    SessionTable(int max, int idleMinutes) {
        this.max = max;
        this.idleNanos = TimeUnit.MINUTES.toNanos(idleMinutes);
    }

    /** The session with this id, marked active; null when there is none. */
    ArenaSession find(String id) {
        if (id == null) {
            return null;
        }
        ArenaSession s = sessions.get(id);
        if (s != null) {
            s.touch(System.nanoTime());
        }
        return s;
    }

    /** A new session with a fresh secret id (the cookie's value). */
    synchronized ArenaSession create(String userKey) {
        long now = System.nanoTime();
        if (sessions.size() >= max && !evictIdle(now)) {
            throw new ArenaException(503, "the Arena has as many visitors as it can hold; please try again in a few minutes")
                    .retryAfter(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(noneIdleUntil - now)));
        }
        byte[] b = new byte[16];
        random.nextBytes(b);
        ArenaSession s = new ArenaSession(HexFormat.of().formatHex(b), userKey, now);
        sessions.put(s.id(), s);
        return s;
    }

    /** Drops the longest-idle sessions among those idle long enough (at least one, up to 1%); false when none is. */
    private boolean evictIdle(long now) {
        if (now - noneIdleUntil < 0) {
            return false;
        }
        List<ArenaSession> idle = sessions.values().stream()
                .filter(s -> now - s.lastActive() >= idleNanos)
                .sorted(Comparator.comparingLong(ArenaSession::lastActive))
                .limit(Math.max(1, max / 100)).toList();
        if (idle.isEmpty()) {
            long oldest = sessions.values().stream().mapToLong(ArenaSession::lastActive).min().orElse(now);
            noneIdleUntil = oldest + idleNanos;
            return false;
        }
        idle.forEach(s -> sessions.remove(s.id(), s));
        return true;
    }

    int size() {
        return sessions.size();
    }
}
