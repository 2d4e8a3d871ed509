package org.chatcorpus.core.io;

import java.io.IOException;

/**
 * A file whose bytes end or break before its content does: a gzip stream cut short or corrupt.
 * Readers catch it, keep every record read before the damage, and quarantine the rest of the file
 * with this message as the reason.
 */
public final class DamagedInputException extends IOException {
    public DamagedInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
