package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.llm.ReplyCache;
import org.chatcorpus.usecases.safety.LabeledMessage;
import org.chatcorpus.usecases.safety.LabeledMessages;
import org.chatcorpus.usecases.safety.ModerationEval;
import org.chatcorpus.usecases.safety.Moderator;
import org.chatcorpus.usecases.safety.Moderators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "moderation-eval", mixinStandardHelpOptions = true,
        description = {"The paper's moderation benchmark (Table 3): moderators judge labeled messages; prints and writes per "
                + "moderator micro-F1 over categories, flagged precision/recall/F1 and per-category F1 (DIR/eval.json, "
                + "DIR/index.html, DIR/errors.jsonl).",
                "DATA: OpenAI moderation samples (JSON lines, prompt + S/H/V/HR/SH/S3/H2/V2), ToxicChat CSV (user_input, "
                + "toxicity, jailbreaking) or a release with openai_moderation tags.",
                "Moderators: openai (OPENAI_BASE_URL, OPENAI_API_KEY), local=MODEL_FILE (from train-moderation), "
                + "llm=MODEL@URL (a chat model prompted as a moderator; a reply without a readable JSON verdict is an error, "
                + "never a verdict)."},
        footer = {"", "Example:", "  chatcorpus moderation-eval ../shared/data/openai-moderation-dev.jsonl.gz --moderator local=moderation.model "
                + "--moderator llm=gpt-4@https://api.openai.com/v1 --out eval/ --challenge-set eval/missed.jsonl"})
final class ModerationEvalCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATA", description = "Labeled inputs.")
    List<Path> data;

    @Option(names = "--moderator", required = true, description = "openai | local=MODEL_FILE | llm=MODEL@URL (repeatable).")
    List<String> moderators;

    @Option(names = "--one-shot", description = "Give llm= moderators one worked example before the message (default: zero-shot).")
    boolean oneShot;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--challenge-set", paramLabel = "FILE",
            description = "Write the messages labeled toxic that the first --moderator missed (OpenAI-sample JSON lines).")
    Path challengeSet;

    @Option(names = "--concurrency", defaultValue = "8", description = "llm= calls in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rate", defaultValue = "0", description = "llm= requests per second per endpoint, 0 for no limit (default: ${DEFAULT-VALUE}).")
    double rate;

    @Override
    public Integer call() throws Exception {
        CountingQuarantine q = Quarantine.counting();
        List<LabeledMessage> messages = new ArrayList<>();
        for (Path p : data) {
            messages.addAll(LabeledMessages.read(p, q));
        }
        List<Moderator> mods = new ArrayList<>();
        try (ModelCalls calls = new ModelCalls(ChatClient.forBatch(), ReplyCache.open(out.resolve("llm-cache.jsonl")), concurrency, rate)) {
            for (String spec : moderators) {
                try {
                    mods.add(Moderators.open(spec, oneShot, System.getenv(), calls));
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    return 2;
                }
            }
            ModerationEval.Result r = ModerationEval.run(messages, mods);
            ModerationEval.write(r, messages.size(), data, out);
            System.out.print(ModerationEval.table(r));
            if (challengeSet != null) {
                String first = mods.get(0).name();
                int n = ModerationEval.writeChallengeSet(r, first, challengeSet);
                System.out.printf("challenge set: %,d toxic messages missed by %s → %s%n", n, first, challengeSet);
            }
            calls.usage().summary().forEach(System.out::println);
        }
        if (q.count() > 0) {
            System.out.println("skipped " + q.count() + " unreadable records");
        }
        System.out.println("wrote " + out.resolve("eval.json") + " and " + out.resolve("index.html"));
        return 0;
    }
}
