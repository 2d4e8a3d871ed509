package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.hub.HubCache;
import org.chatcorpus.core.io.hub.HubClient;
import org.chatcorpus.core.io.hub.HubException;
import org.chatcorpus.core.io.hub.HubPull;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download a dataset from the Hugging Face Hub into the cache huggingface_hub uses "
                + "(HF_HOME/hub), so both tools share it. Gated datasets such as lmsys/lmsys-chat-1m need their "
                + "terms accepted on the dataset's page and a token (--token, HF_TOKEN or HF_HOME/token). "
                + "A second pull of the same revision downloads nothing; a cut download resumes. "
                + "The last line printed is the snapshot folder; every verb also takes hf://datasets/OWNER/NAME[@REV][/PATH]."},
        footer = {"", "Examples:", "  chatcorpus pull lmsys/lmsys-chat-1m",
                "  chatcorpus pull lmsys/chatbot_arena_conversations --include 'data/*.parquet'",
                "  chatcorpus stats hf://datasets/lmsys/lmsys-chat-1m"})
final class PullCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REPO_ID", description = "The dataset, OWNER/NAME.")
    String repoId;

    @Option(names = "--revision", defaultValue = "main", description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only files matching this glob (repeatable), e.g. 'data/*.parquet'.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache folder (default: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub).")
    Path cacheDir;

    @Option(names = "--token", paramLabel = "T", description = "Hub token (default: HF_TOKEN, else the token file in HF_HOME).")
    String token;

    @Option(names = "--endpoint", paramLabel = "URL", description = "The Hub (default: HF_ENDPOINT, else https://huggingface.co).")
    String endpoint;

    @Option(names = "--threads", defaultValue = "8", description = "Files downloaded at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (!repoId.matches("[A-Za-z0-9][\\w.-]*/[\\w.-]+")) {
            throw new UserError(ExitCode.USAGE, "'" + repoId + "' is not a dataset id", "give OWNER/NAME, e.g. lmsys/lmsys-chat-1m");
        }
        if (threads < 1) {
            throw new UserError(ExitCode.USAGE, "--threads must be at least 1, was " + threads, "give a positive number of parallel downloads");
        }
        Map<String, String> env = System.getenv();
        HubCache cache = new HubCache(cacheDir != null ? cacheDir : HubCache.defaultRoot(env));
        HubClient client = new HubClient(endpoint != null ? endpoint : HubClient.endpoint(env), HubClient.token(token, env).orElse(null));
        try {
            HubPull.Result r = new HubPull(client, cache, threads).pull(repoId, revision, includes);
            System.err.printf(Locale.ROOT, "%s@%s: %d files, %d downloaded (%.1f MB), commit %s%n",
                    repoId, revision, r.files(), r.downloaded(), r.bytes() / 1e6, r.commit());
            System.out.println(r.snapshot());
            return 0;
        } catch (HubException e) {
            throw new UserError(ExitCode.FAILED, e.getMessage(), "run pull again to resume; --verbose shows the details", e);
        }
    }
}
