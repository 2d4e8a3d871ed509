package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.llm.ReplyCache;
import org.chatcorpus.usecases.safety.Moderator;
import org.chatcorpus.usecases.safety.Moderators;
import org.chatcorpus.usecases.safety.SafetyBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "safety-bench", mixinStandardHelpOptions = true,
        description = {"The paper's safety benchmark (Table 5): replay each prompt conversation (up to its last user turn) against "
                + "each model over OpenAI-compatible chat completions, judge every answer with the moderator, and report the "
                + "success rate (flagged answers / answered prompts) per model and per category. Writes DIR/bench.json, "
                + "DIR/categories.json, DIR/responses.jsonl and DIR/index.html. Replies are cached in DIR/cache.jsonl, so a rerun "
                + "resumes where the last one stopped.",
                "PROMPTS: the benchmark.jsonl that `safety` writes, or any conversation file chatcorpus reads."},
        footer = {"", "Example:", "  chatcorpus safety-bench safety/benchmark.jsonl --model vicuna-13b=http://127.0.0.1:8000/v1 "
                + "--model llama-2-13b-chat=meta-llama/Llama-2-13b-chat-hf@http://127.0.0.1:8001/v1 --moderator openai --out bench/"})
final class SafetyBenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PROMPTS", description = "Prompt conversations.")
    String prompts;

    @Option(names = "--model", required = true, description = "NAME=URL or NAME=ID@URL, URL the API base such as http://host:8000/v1 (repeatable).")
    List<String> models;

    @Option(names = "--moderator", required = true, description = "openai | local=MODEL_FILE | llm=MODEL@URL.")
    String moderator;

    @Option(names = "--one-shot", description = "Give an llm= moderator one worked example.")
    boolean oneShot;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--concurrency", defaultValue = "8", description = "Calls in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rate", defaultValue = "0", description = "Requests per second per endpoint, 0 for no limit (default: ${DEFAULT-VALUE}).")
    double rate;

    @Override
    public Integer call() throws Exception {
        List<ModelEndpoint> endpoints = new ArrayList<>();
        for (String m : models) {
            try {
                endpoints.add(ModelEndpoint.parseModel(m));
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
        CountingQuarantine q = Quarantine.counting();
        List<Conversation> convs = new DatasetReader(List.of(prompts), null).readAll(q);
        try (ModelCalls calls = new ModelCalls(ChatClient.forBatch(), ReplyCache.open(out.resolve("cache.jsonl")), concurrency, rate)) {
            Moderator mod;
            try {
                mod = Moderators.open(moderator, oneShot, System.getenv(), calls);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            SafetyBench.Result r = SafetyBench.run(convs, endpoints, mod, calls);
            SafetyBench.write(r, mod.name(), out);
            System.out.print(SafetyBench.table(r));
            calls.usage().summary().forEach(System.out::println);
        }
        if (q.count() > 0) {
            System.out.println("skipped " + q.count() + " unreadable records");
        }
        System.out.println("wrote " + out.resolve("bench.json") + ", " + out.resolve("responses.jsonl") + " and " + out.resolve("index.html"));
        return 0;
    }
}
