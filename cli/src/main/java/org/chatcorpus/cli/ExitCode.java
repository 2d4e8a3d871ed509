package org.chatcorpus.cli;

/**
 * The exit codes every verb keeps (README, "Exit codes"), so scripts can tell a mistake in the
 * command line from a failed run and from a run that found nothing to work on.
 */
final class ExitCode {
    static final int OK = 0;
    /** The run failed: a file could not be read or written, a port was busy, a config did not parse. */
    static final int FAILED = 1;
    /** The command line is wrong: unknown option, bad value, missing input path, unknown format or tokenizer. */
    static final int USAGE = 2;
    /** Nothing to work on: no input files, or no readable record in them (everything quarantined). */
    static final int NO_DATA = 3;

    private ExitCode() {
    }
}
