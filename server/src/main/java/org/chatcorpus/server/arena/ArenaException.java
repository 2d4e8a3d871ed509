package org.chatcorpus.server.arena;

/** A request the Arena refuses, with the HTTP status to answer and a message safe to show. */
public final class ArenaException extends RuntimeException {
    private final int status;

    public ArenaException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
