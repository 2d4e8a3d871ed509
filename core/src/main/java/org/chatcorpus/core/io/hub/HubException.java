package org.chatcorpus.core.io.hub;

import java.io.IOException;

/** A Hub request that failed; the message names the repository or file and what to do. */
public final class HubException extends IOException {
    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
