package org.chatcorpus.server.modelserver;

/**
 * A request that cannot be served as sent (malformed, too large, an unsupported coding): the
 * server answers {@link #status()} with the message and closes the connection, since what follows
 * on it cannot be trusted to start a new request.
 */
final class RejectedRequest extends Exception {
    private final int status;

    RejectedRequest(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
