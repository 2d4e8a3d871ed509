package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every verb, given the mistakes a new user makes (a wrong path, a release where logs are
 * expected, an empty folder, a wrong --format, a negative number, a busy port): one or two lines
 * that name the file, flag or port, the documented exit code, and no stack trace.
 */
class CliErrorsTest {
    @TempDir
    static Path dir;
    static Path release;
    static Path empty;
    static final Set<String> VERBS_COVERED = new TreeSet<>();

    record Outcome(int code, String err) {
    }

    @BeforeAll
    static void smallRelease() throws Exception {
        release = dir.resolve("release");
        assertThat(ChatCorpus.execute("generate", "--conversations", "300", "--seed", "3", "--out", release.toString())).isZero();
        empty = Files.createDirectories(dir.resolve("empty"));
    }

    private static Outcome run(String... args) {
        VERBS_COVERED.add(args[0]);
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            int code = ChatCorpus.execute(args);
            return new Outcome(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    /** The shape every error keeps: starts with "error: ", names what it must, at most a few lines, no stack trace. */
    private static void expect(Outcome o, int code, String... mentions) {
        assertThat(o.code()).as(o.err()).isEqualTo(code);
        assertThat(o.err()).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(o.err().lines().count()).as(o.err()).isLessThanOrEqualTo(3);
        for (String m : mentions) {
            assertThat(o.err()).contains(m);
        }
    }

    private static String missing() {
        return dir.resolve("no-such-dir").toString();
    }

    @Test
    void statsNamesAMissingPathAndFailsOnNoData() {
        expect(run("stats", missing()), ExitCode.USAGE, "no-such-dir", "does not exist");
        expect(run("stats", empty.toString(), "--tokenizer", "none"), ExitCode.NO_DATA, "read no conversations", empty.toString());
        expect(run("stats", release.toString(), "--tokenizer", "none", "--format", "sharegpt"), ExitCode.NO_DATA,
                "quarantined", "--format");
        expect(run("stats", release.toString(), "--format", "bogus"), ExitCode.USAGE, "unknown format 'bogus'");
        expect(run("stats", release.toString(), "--top", "0"), ExitCode.USAGE, "--top");
        expect(run("stats", release.toString(), "--no-such-flag"), ExitCode.USAGE, "--no-such-flag", "chatcorpus stats --help");
    }

    @Test
    void reportRejectsBadNumbersTokenizersAndEmptyInput() {
        Path out = dir.resolve("report-out");
        expect(run("report", release.toString(), "--out", out.toString(), "--topics", "-1"), ExitCode.USAGE, "--topics", "-1");
        expect(run("report", release.toString(), "--out", out.toString(), "--tokenizer", "bogus"), ExitCode.USAGE, "unknown tokenizer");
        expect(run("report", empty.toString(), "--out", out.toString(), "--tokenizer", "none", "--topics", "0"), ExitCode.NO_DATA,
                "read no conversations");
        expect(run("report", missing(), "--out", out.toString()), ExitCode.USAGE, "no-such-dir");
    }

    @Test
    void generateRejectsANegativeCount() {
        expect(run("generate", "--conversations", "-5", "--out", dir.resolve("neg").toString()), ExitCode.USAGE, "--conversations", "-5");
        expect(run("generate", "--conversations", "ten", "--out", dir.resolve("neg").toString()), ExitCode.USAGE, "ten");
        assertThat(dir.resolve("neg")).doesNotExist();
    }

    @Test
    void curateExitsThreeWhenEverythingIsQuarantined() {
        expect(run("curate", release.toString(), "--out", dir.resolve("cur").toString(), "--format", "sharegpt"), ExitCode.NO_DATA,
                "quarantined", "--format");
        expect(run("curate", empty.toString(), "--out", dir.resolve("cur2").toString()), ExitCode.NO_DATA, "read no conversations");
        expect(run("curate", release.toString(), "--out", dir.resolve("cur3").toString(), "--sample", "0"), ExitCode.USAGE, "--sample");
        expect(run("curate", release.toString(), "--out", dir.resolve("cur3").toString(), "--near-duplicates", "maybe"), ExitCode.USAGE,
                "--near-duplicates", "maybe");
        expect(run("curate", release.toString(), "--out", dir.resolve("cur3").toString(), "--config", missing()), ExitCode.USAGE,
                "no-such-dir");
    }

    @Test
    void trainModerationNeedsLabeledTexts() {
        expect(run("train-moderation", empty.toString(), "--out", dir.resolve("m").toString()), ExitCode.NO_DATA, "no labeled texts");
        expect(run("train-moderation", release.toString(), "--out", dir.resolve("m").toString(), "--holdout", "2"), ExitCode.USAGE,
                "--holdout");
    }

    @Test
    void trainNamesChecksItsSettingsAndItsOutput() {
        expect(run("train-names", "--out", dir.resolve("n.model").toString(), "--bits", "40"), ExitCode.USAGE, "--bits");
        expect(run("train-names", "--out", dir.resolve("n.model").toString(), "--epochs", "0"), ExitCode.USAGE, "--epochs");
        expect(run("train-names", "--out", dir.resolve("no-such-dir/n.model").toString(), "--sentences", "50", "--epochs", "1",
                "--bits", "10"), ExitCode.FAILED, "no-such-dir");
    }

    @Test
    void leaderboardAndExportNameTheParquetFileTheyWereGiven() {
        String shard = release.resolve("data/train-00000-of-00001.parquet").toString();
        expect(run("leaderboard", release.toString()), ExitCode.USAGE, shard, "Parquet", "logs");
        expect(run("arena-export", release.toString(), "--out", dir.resolve("ex").toString()), ExitCode.USAGE, shard, "Parquet");
        expect(run("leaderboard", empty.toString()), ExitCode.NO_DATA, "no log files");
        expect(run("arena-export", empty.toString(), "--out", dir.resolve("ex").toString()), ExitCode.NO_DATA, "no log files");
        expect(run("leaderboard", missing()), ExitCode.USAGE, "no-such-dir");
        expect(run("leaderboard", release.toString(), "--rounds", "0"), ExitCode.USAGE, "--rounds");
    }

    @Test
    void leaderboardOnLogsWithoutVotesSaysSo() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("chat-only-logs"));
        Files.writeString(logs.resolve("2024-01-01-conv.json"), "{\"tstamp\": 1.0, \"type\": \"chat\", \"model\": \"m\", \"state\": {}}\n");
        expect(run("leaderboard", logs.toString()), ExitCode.NO_DATA, "no battle votes");
        expect(run("arena-export", logs.toString(), "--out", dir.resolve("ex2").toString()), ExitCode.NO_DATA, "no anonymous battles");
    }

    @Test
    void serversNameTheBusyPort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(busy.getLocalPort());
            expect(run("model-server", "--port", port), ExitCode.FAILED, "port " + port, "--port");
            expect(run("serve", "--port", port, "--data-dir", dir.resolve("arena-data").toString()), ExitCode.FAILED, "port " + port,
                    "--port");
            expect(run("explore", release.toString(), "--port", port, "--index", dir.resolve("idx").toString()), ExitCode.FAILED,
                    "port " + port);
        }
        expect(run("model-server", "--port", "-1"), ExitCode.USAGE, "--port", "-1");
        expect(run("serve", "--port", "70000"), ExitCode.USAGE, "--port", "70000");
        expect(run("serve", "--config", missing()), ExitCode.USAGE, "--config", "no-such-dir");
        expect(run("explore", empty.toString(), "--port", "0"), ExitCode.NO_DATA, "no input files");
    }

    @Test
    void demoValidatesItsSizes() {
        expect(run("demo", "--out", dir.resolve("demo").toString(), "--conversations", "0"), ExitCode.USAGE, "--conversations");
        expect(run("demo", "--out", dir.resolve("demo").toString(), "--visitors", "-3"), ExitCode.USAGE, "--visitors");
        expect(run("demo", "--out", dir.resolve("demo").toString(), "--port", "99999"), ExitCode.USAGE, "--port");
        assertThat(dir.resolve("demo")).doesNotExist();
    }

    @Test
    void unknownVerbIsAUsageError() {
        Outcome o = run("statz");
        assertThat(o.code()).isEqualTo(ExitCode.USAGE);
        assertThat(o.err()).contains("statz").contains("stats");
    }

    @Test
    void verboseAndTheDebugVariableAddTheStackTrace() {
        Outcome o = run("stats", missing(), "--verbose");
        assertThat(o.code()).isEqualTo(ExitCode.USAGE);
        assertThat(o.err()).startsWith("error: ").contains("\tat ");
        StringBuilder err = new StringBuilder();
        ErrorHandler debug = new ErrorHandler(name -> ErrorHandler.DEBUG_ENV.equals(name) ? "1" : null);
        CommandLine cl = new CommandLine(new ChatCorpus()).setExecutionExceptionHandler(debug).setParameterExceptionHandler(debug)
                .setErr(new java.io.PrintWriter(new java.io.Writer() {
                    @Override
                    public void write(char[] c, int off, int len) {
                        err.append(c, off, len);
                    }

                    @Override
                    public void flush() {
                    }

                    @Override
                    public void close() {
                    }
                }));
        assertThat(cl.execute("stats", missing())).isEqualTo(ExitCode.USAGE);
        assertThat(err).contains("\tat ");
    }

    /** The use-case verbs given a path that does not exist: a non-zero documented code and one or two lines naming it. */
    @Test
    void useCaseVerbsNameAMissingInput() {
        String m = missing();
        String out = dir.resolve("use-case-out").toString();
        String judge = "judge@http://127.0.0.1:1/v1";
        String model = "m=http://127.0.0.1:1/v1";
        List<String[]> calls = List.of(
                new String[] {"compare", m, m, "--out", out, "--topics", "0"},
                new String[] {"battles", "convert", m, "--to", "kaggle", "--out", out + "/x.csv"},
                new String[] {"pairs", m, "--out", out + "/pairs.csv"},
                new String[] {"preference", "train", m, "--out", out + "/model.bin"},
                new String[] {"hard-prompts", m, "--judge", judge, "--out", out},
                new String[] {"instruct-export", m, "--subset", "highquality", "--out", out},
                new String[] {"mt-bench", "--questions", m, "--model", model, "--judge", judge, "--out", out},
                new String[] {"pseudo-label", m, "--judge", judge, "--out", out + "/labels.csv"},
                new String[] {"moderation-eval", m, "--moderator", "local=" + m, "--out", out},
                new String[] {"safety", m, "--out", out},
                new String[] {"safety-bench", m, "--model", model, "--moderator", "local=" + m, "--out", out});
        for (String[] call : calls) {
            Outcome o = run(call);
            assertThat(o.code()).as(String.join(" ", call) + "\n" + o.err()).isIn(ExitCode.FAILED, ExitCode.USAGE, ExitCode.NO_DATA);
            assertThat(o.err()).as(String.join(" ", call)).startsWith("error: ").doesNotContain("\tat ").contains("no-such-dir");
            assertThat(o.err().lines().count()).as(o.err()).isLessThanOrEqualTo(3);
        }
        expect(run("pull", "not a repo id"), ExitCode.USAGE, "OWNER/NAME");
    }

    @Test
    void everyVerbIsCoveredHere() {
        Set<String> verbs = new TreeSet<>(new CommandLine(new ChatCorpus()).getSubcommands().keySet());
        verbs.remove("help");
        // The test methods above each name their verbs; this list must grow with the CLI.
        assertThat(Set.of("demo", "stats", "report", "generate", "curate", "train-moderation", "train-names", "serve", "explore", "model-server",
                "leaderboard", "arena-export", "compare", "pull", "battles", "pairs", "preference", "hard-prompts", "instruct-export",
                "mt-bench", "pseudo-label", "moderation-eval", "safety", "safety-bench")).isEqualTo(verbs);
    }
}
