package org.chatcorpus.llm;

/**
 * A model call that failed. The message is safe to show to a user (it names the model and what
 * went wrong, never the key). {@link #status()} is the HTTP status when the endpoint answered, else
 * 0; {@link #retryable()} says whether trying again later can help (429, 5xx, timeouts, cut streams).
 */
public class ModelError extends Exception {
    private final int status;
    private final boolean retryable;

    public ModelError(String message, int status, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    static boolean retryableStatus(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }
}
