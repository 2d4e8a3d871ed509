package org.chatcorpus.cli;

/**
 * A mistake the user can fix, with its exit code: printed as one line saying what failed and
 * where, and one saying what to do, without a stack trace.
 */
final class UserError extends RuntimeException {
    private final int exitCode;
    private final String hint;

    UserError(int exitCode, String message, String hint) {
        super(message);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    UserError(int exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    int exitCode() {
        return exitCode;
    }

    /** What to do about it, or null. */
    String hint() {
        return hint;
    }
}
