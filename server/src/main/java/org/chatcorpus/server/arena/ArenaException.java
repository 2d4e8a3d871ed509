package org.chatcorpus.server.arena;

/** A request the Arena refuses, with the HTTP status to answer and a message safe to show. */
public final class ArenaException extends RuntimeException {
    private final int status;
    private long retryAfterSeconds;

    public ArenaException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The same refusal, telling the client when to try again (a Retry-After header). */
    ArenaException retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** Seconds for Retry-After, or 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
