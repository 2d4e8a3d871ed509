package org.chatcorpus.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.InputFiles;

/** Checks of what a verb was given, made before any work so the error names the file and the fix. */
final class Inputs {
    private static final int SNIFF_BYTES = 8192;

    private Inputs() {
    }

    /** A file named by a flag (--config) must exist; a wrong path is a usage error naming the flag. */
    static void requireFile(Path file, String flag) {
        if (file != null && !Files.isRegularFile(file)) {
            throw new UserError(ExitCode.USAGE, flag + " " + file + ": " + (Files.exists(file) ? "not a file" : "no such file"),
                    "check the path");
        }
    }

    /**
     * The FastChat log files under these inputs, for verbs that read only those JSON lines
     * (leaderboard, arena-export): a Parquet or other binary file is named instead of failing
     * later with a bare decoding error.
     */
    static List<Path> jsonLogs(List<String> inputs, String verb) throws IOException {
        List<Path> files = InputFiles.expand(inputs);
        if (files.isEmpty()) {
            throw new UserError(ExitCode.NO_DATA, "no log files found in " + String.join(" ", inputs),
                    verb + " reads the Arena's FastChat logs (DATA_DIR/logs/YYYY-MM-DD-conv.json)");
        }
        for (Path f : files) {
            byte[] head;
            try (InputStream in = Files.newInputStream(f)) {
                head = in.readNBytes(SNIFF_BYTES);
            }
            if (head.length >= 4 && head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1') {
                throw new UserError(ExitCode.USAGE, f + " is a Parquet file, but " + verb + " reads FastChat JSON logs",
                        "give it the Arena's logs directory (DATA_DIR/logs), not a release");
            }
            boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            if (!gzip && !isUtf8Prefix(head)) {
                throw new UserError(ExitCode.USAGE, f + " is not UTF-8 text, but " + verb + " reads FastChat JSON logs",
                        "give it the Arena's logs directory (DATA_DIR/logs)");
            }
        }
        return files;
    }

    /** True when the bytes decode as UTF-8, allowing a character cut at the end of the sniffed prefix. */
    private static boolean isUtf8Prefix(byte[] head) {
        int end = head.length;
        if (end == SNIFF_BYTES) {
            while (end > 0 && end > head.length - 4 && (head[end - 1] & 0xC0) == 0x80) {
                end--; // continuation bytes of a character the prefix cut
            }
            if (end > 0 && (head[end - 1] & 0xC0) == 0xC0) {
                end--; // its lead byte
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Fails with exit code 3 when a run read no usable record: an empty input, or a wrong format
     * that sent everything to the quarantine (the first reason is shown, it usually says why).
     */
    static void requireData(long read, CountingQuarantine quarantine, List<String> inputs, String what) {
        if (read > 0) {
            return;
        }
        String where = String.join(" ", inputs);
        if (quarantine.count() == 0) {
            throw new UserError(ExitCode.NO_DATA, "read no " + what + " from " + where,
                    "check the path: it holds no file in a known format (parquet, fastchat-log, lmsys, sharegpt, openai, hh)");
        }
        String first = quarantine.records().isEmpty() ? "" : "; first: " + quarantine.records().get(0).describe();
        throw new UserError(ExitCode.NO_DATA, "read no " + what + " from " + where + ": all " + quarantine.count()
                + " records were quarantined" + first,
                "check the files, or force the right format with --format");
    }
}
