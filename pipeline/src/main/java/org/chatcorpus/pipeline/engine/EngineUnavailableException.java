package org.chatcorpus.pipeline.engine;

import java.io.IOException;

/** An engine that is known but cannot run here (its runtime is not on the class path), with what to do. */
public final class EngineUnavailableException extends IOException {
    private final String hint;

    public EngineUnavailableException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
