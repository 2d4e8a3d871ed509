package org.chatcorpus.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.usecases.judge.JudgeClient;
import picocli.CommandLine.Option;

/** The options every judge verb shares: how to reach the judge and how hard to call it. */
final class JudgeOptions {
    @Option(names = "--api-key-env", paramLabel = "NAME", defaultValue = ModelEndpoint.DEFAULT_KEY_ENV,
            description = "Environment variable holding the judge's API key (default: ${DEFAULT-VALUE}).")
    String apiKeyEnv;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "Model calls in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--max-rps", paramLabel = "R", defaultValue = "0",
            description = "At most R requests per second to each endpoint; 0 for no limit (default: ${DEFAULT-VALUE}).")
    double maxRps;

    ModelEndpoint judge(String spec) {
        return ModelEndpoint.parseJudge(spec, apiKeyEnv);
    }

    List<ModelEndpoint> judges(List<String> specs) {
        return specs.stream().map(this::judge).toList();
    }

    /** The judge client, its reply cache in {@code cacheFile}. */
    JudgeClient open(Path cacheFile) throws IOException {
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1");
        }
        return JudgeClient.open(cacheFile, concurrency, maxRps);
    }

    /** Token accounting and judge reply counts, to standard error at the end of a run. */
    static void printUsage(JudgeClient client) {
        client.summary().forEach(l -> System.err.println("usage: " + l));
    }
}
