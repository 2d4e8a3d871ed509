package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.explorer.ExplorerApp;
import org.chatcorpus.explorer.ExplorerIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "explore", mixinStandardHelpOptions = true,
        description = {"Explore a dataset in the browser: full-text search (phrases, AND/OR/NOT) with highlighted snippets, "
                + "filters with counts (model, language, flagged, moderation category, redacted, turns, role), conversation view "
                + "with per-message moderation, Basic Statistics, and export of a result set as JSONL or Parquet.",
                "A Lucene index is built once (on all cores) and reused while the dataset's files are unchanged.",
                "JSON API: /api/search?q=&model=&language=&flagged=&category=&redacted=&limit=&offset=, "
                        + "/api/conversation/{id}, /api/similar/{id}?k=10, /api/health.",
                "With --topics REPORT_DIR/topics.parquet from `chatcorpus report RELEASE --out REPORT_DIR --topics N` of the same "
                        + "release, conversation pages list similar conversations (cosine similarity of the report's prompt embeddings). "
                        + "Moderation is labelled with who tagged it (a local model, from the release's provenance.json, or OpenAI)."},
        footer = {"", "It answers only to the Host names localhost, 127.0.0.1, ::1 and the --host address (against DNS rebinding);",
                "add the names people use to reach it with --allow-host.", "",
                "Examples:", "  chatcorpus explore release/", "  chatcorpus explore 'data/train-*.parquet' --port 8080 --index /tmp/idx",
                "  chatcorpus report release/ --out report/ --topics 20 && chatcorpus explore release/ --topics report/topics.parquet",
                "  chatcorpus explore release/ --host 0.0.0.0 --allow-host corpus.lab.example --max-exports 4"})
final class ExploreCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Files, directories or globs (as stats takes them).")
    List<String> inputs;

    @Option(names = "--format", description = "Force the input format instead of detecting it.")
    String format;

    @Option(names = "--port", defaultValue = "" + ExplorerApp.DEFAULT_PORT, description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--index", description = "Index directory (default: a folder per input under ~/.cache/chatcorpus/explore).")
    Path index;

    @Option(names = "--allow-host", paramLabel = "NAME",
            description = "A Host name to answer to besides the loopback names and the --host address (repeatable).")
    List<String> allowHosts = List.of();

    @Option(names = "--max-exports", defaultValue = "2",
            description = "Exports streamed at once; one more is answered 429 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxExports;

    @Option(names = "--topics", paramLabel = "FILE",
            description = "The report's topic assignments (REPORT_DIR/topics.parquet): adds the topic filter, and similar "
                    + "conversations from REPORT_DIR/conversation-vectors.bin when the report was made from this release.")
    Path topics;

    @Override
    public Integer call() throws Exception {
        Flags.port(spec, "--port", port);
        if (org.chatcorpus.core.io.InputFiles.expand(inputs).isEmpty()) {
            throw new UserError(ExitCode.NO_DATA, "no input files in " + String.join(" ", inputs), "check the path");
        }
        serveUntilStopped(inputs, format, topics, index != null ? index : ExplorerIndex.defaultIndexDir(inputs), host, port,
                new ExplorerApp.Options(java.util.Set.copyOf(allowHosts), maxExports));
        return 0;
    }

    /** Builds or reuses the index, serves it and blocks until the process is stopped (Ctrl-C). */
    static void serveUntilStopped(List<String> inputs, String format, Path topics, Path dir, String host, int port) throws Exception {
        serveUntilStopped(inputs, format, topics, dir, host, port, ExplorerApp.Options.defaults());
    }

    static void serveUntilStopped(List<String> inputs, String format, Path topics, Path dir, String host, int port,
                                  ExplorerApp.Options options) throws Exception {
        ExplorerIndex idx;
        try (Progress progress = Progress.start("index", -1)) {
            idx = ExplorerIndex.openOrBuild(inputs, format, topics, dir, progress, System.out);
        }
        if (idx.size() == 0) {
            throw new UserError(ExitCode.NO_DATA, "read no conversations from " + String.join(" ", inputs) + ", nothing to explore",
                    "check the path, or force the right format with --format");
        }
        ExplorerIndex index = idx;
        ExplorerApp.ReleaseInfo release = ExplorerApp.ReleaseInfo.load(inputs, topics, index, System.out);
        ExplorerApp app = Ports.start(host, port, "--port", () -> ExplorerApp.start(index, host, port, options, release));
        System.out.println("Explorer running at http://" + host + ":" + app.port() + "/  (" + idx.size() + " conversations)");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                System.err.println("closing the explorer: " + e.getMessage());
            }
            stop.countDown();
        }));
        stop.await();
    }
}
