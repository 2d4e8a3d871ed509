package org.chatcorpus.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Range checks of numeric flags, reported as usage errors (exit 2) that name the flag and the value given. */
final class Flags {
    private Flags() {
    }

    static void atLeast(CommandSpec spec, String flag, long value, long min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), flag + " must be at least " + min + ", got " + value);
        }
    }

    static void between(CommandSpec spec, String flag, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new ParameterException(spec.commandLine(), flag + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** 0 means "any free port" where a verb allows it. */
    static void port(CommandSpec spec, String flag, int port) {
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), flag + " must be a port number from 0 to 65535, got " + port);
        }
    }
}
