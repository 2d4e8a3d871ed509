package org.chatcorpus.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where a failed run becomes what the user reads: one line saying what failed and
 * which file, port or flag, one line saying what to do, and the exit code of {@link ExitCode}.
 * The stack trace is printed only with {@code --verbose} or {@code CHATCORPUS_DEBUG=1}, for
 * reports of bugs, not for mistakes in a command line.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final String DEBUG_ENV = "CHATCORPUS_DEBUG";
    private static final int MAX_MESSAGE = 400;

    private final Function<String, String> env;

    ErrorHandler(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + firstLine(ex.getMessage()));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options and an example");
        if (debug(args)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        UserError e = translate(ex);
        err.println("error: " + e.getMessage());
        if (e.hint() != null) {
            err.println(e.hint());
        }
        if (debug(parsed.originalArgs().toArray(String[]::new))) {
            ex.printStackTrace(err);
        }
        err.flush();
        return e.exitCode();
    }

    private boolean debug(String[] args) {
        if ("1".equals(env.apply(DEBUG_ENV)) || "true".equalsIgnoreCase(env.apply(DEBUG_ENV))) {
            return true;
        }
        for (String a : args) {
            if (a.equals("--verbose")) {
                return true;
            }
            if (a.equals("--")) {
                break;
            }
        }
        return false;
    }

    /** What the user should read for this exception: the first cause that says something a person can act on. */
    static UserError translate(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof UserError u) {
                return u;
            }
            if (t instanceof NoSuchFileException f) {
                String reason = f.getReason() == null ? "no such file or directory" : f.getReason();
                return new UserError(ExitCode.USAGE, reason + ": " + f.getFile(),
                        "check the path (inputs may be files, directories or globs such as 'data/*.parquet')", ex);
            }
            if (t instanceof AccessDeniedException f) {
                return new UserError(ExitCode.FAILED, "permission denied: " + f.getFile(), "check the file's permissions or choose another path", ex);
            }
            if (t instanceof NotDirectoryException f) {
                return new UserError(ExitCode.FAILED, "not a directory: " + f.getFile(), "give a directory path here", ex);
            }
            if (t instanceof FileAlreadyExistsException f) {
                return new UserError(ExitCode.FAILED, "already exists and is not a directory: " + f.getFile(), "remove it or choose another path", ex);
            }
            if (Ports.isBindFailure(t)) {
                return new UserError(ExitCode.FAILED, "the port is already in use (" + firstLine(t.getMessage()) + ")",
                        "stop the other program or choose another port with --port", ex);
            }
            if (t instanceof CharacterCodingException) {
                return new UserError(ExitCode.FAILED, "an input is not UTF-8 text (" + t.getClass().getSimpleName() + ")",
                        "this verb reads JSON text files; check that no binary (Parquet, archive) file is among the inputs", ex);
            }
            if (t instanceof JsonProcessingException j) {
                return new UserError(ExitCode.FAILED, "invalid JSON or YAML: " + firstLine(j.getOriginalMessage())
                        + (j.getLocation() == null ? "" : " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr()),
                        "fix the file (README shows an example of each config file)", ex);
            }
            if (t instanceof FileSystemException f && f.getFile() != null) {
                return new UserError(ExitCode.FAILED, firstLine(f.getReason() == null ? f.getClass().getSimpleName() : f.getReason()) + ": " + f.getFile(),
                        null, ex);
            }
        }
        Throwable root = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        if (root instanceof IllegalArgumentException) {
            // The libraries' argument checks carry the user's value and the allowed ones (unknown format, tokenizer, …).
            return new UserError(ExitCode.USAGE, firstLine(root.getMessage()), "see the verb's --help for the accepted values", ex);
        }
        if (root instanceof IOException) {
            return new UserError(ExitCode.FAILED, firstLine(root.getMessage()), "rerun with --verbose for the details", ex);
        }
        return new UserError(ExitCode.FAILED, "unexpected " + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage()),
                "this is a bug: rerun with --verbose (or " + DEBUG_ENV + "=1) and report the stack trace", ex);
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "(no message)";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) + "…" : line;
    }
}
