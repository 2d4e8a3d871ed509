package org.chatcorpus.pipeline.moderation;

/**
 * The moderation endpoint refused a request (401, 403, 400…) or kept failing (5xx, 429, network)
 * after every retry. The message names the endpoint and the last status, for people.
 */
public final class ModerationUnavailableException extends RuntimeException {
    private final String endpoint;
    private final String status;

    public ModerationUnavailableException(String endpoint, String status, String message) {
        super(message, null, false, false);
        this.endpoint = endpoint;
        this.status = status;
    }

    public String endpoint() {
        return endpoint;
    }

    /** The last answer, e.g. "HTTP 401" or "ConnectException". */
    public String status() {
        return status;
    }
}
