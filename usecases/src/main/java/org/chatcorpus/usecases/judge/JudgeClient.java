package org.chatcorpus.usecases.judge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ChatReply;
import org.chatcorpus.llm.ChatRequest;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.llm.ModelError;
import org.chatcorpus.llm.ReplyCache;
import org.chatcorpus.llm.TokenUsage;

/**
 * The one judge client of the judge verbs (hard-prompts, mt-bench, pseudo-label): llm's
 * {@link ModelCalls} (retries with backoff on 429/5xx, a rate limit, token accounting, N calls in
 * flight with a progress bar) over an on-disk {@link ReplyCache} kept in the run's output, so a
 * rerun or a resumed run asks nothing it asked before.
 *
 * <p>A reply that holds no value in the expected format is asked once more (past the cache, see
 * {@link ModelCalls#callAgain}); if that one is unreadable too, the item is an error, never a score.
 */
public final class JudgeClient implements AutoCloseable {
    /** The cache's file name inside a run's output directory. */
    public static final String CACHE_FILE = "judge-cache.jsonl";
    static final String RETRY = "retry-1";

    private final ModelCalls calls;
    private final AtomicLong askedAgain = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private JudgeClient(ModelCalls calls) {
        this.calls = calls;
    }

    /**
     * @param cacheFile         where replies are kept (created when absent)
     * @param concurrency       calls in flight
     * @param requestsPerSecond per endpoint, 0 for no limit
     */
    public static JudgeClient open(Path cacheFile, int concurrency, double requestsPerSecond) throws IOException {
        return new JudgeClient(new ModelCalls(ChatClient.forBatch(), ReplyCache.open(cacheFile), concurrency, requestsPerSecond));
    }

    /** For tests and benchmarks: a client with a chosen retry policy. */
    public static JudgeClient open(Path cacheFile, int concurrency, ChatClient client) throws IOException {
        return new JudgeClient(new ModelCalls(client, ReplyCache.open(cacheFile), concurrency, 0));
    }

    /**
     * Shows {@code prompt} filled with {@code values} to {@code judge} and reads the reply with
     * {@code reader}; an unreadable reply is asked for once more, then becomes an error.
     */
    public <T> Judgment<T> judge(ModelEndpoint judge, JudgePrompt prompt, Map<String, String> values, Function<String, Optional<T>> reader) {
        String user = prompt.render(values);
        List<Message> messages = new ArrayList<>(2);
        if (prompt.systemPrompt() != null && !prompt.systemPrompt().isEmpty()) {
            messages.add(new Message(Message.SYSTEM, prompt.systemPrompt()));
        }
        messages.add(Message.user(user));
        ChatRequest request = ChatRequest.of(judge, messages);
        try {
            String reply = calls.call(judge, request).text();
            Optional<T> value = reader.apply(reply);
            if (value.isEmpty()) {
                askedAgain.incrementAndGet();
                reply = calls.callAgain(judge, request, RETRY).text();
                value = reader.apply(reply);
            }
            if (value.isPresent()) {
                return new Judgment<>(value.get(), user, reply, null);
            }
            unreadable.incrementAndGet();
            return new Judgment<>(null, user, reply, "judge " + judge.name() + " gave no " + prompt.outputFormat()
                    + " in its reply, twice (last reply: " + excerpt(reply) + ")");
        } catch (ModelError e) {
            failed.incrementAndGet();
            return new Judgment<>(null, user, "", e.getMessage());
        }
    }

    /** An answer from a model under test (its own sampling settings, except {@code temperature}). */
    public ChatReply answer(ModelEndpoint model, List<Message> messages, double temperature) throws ModelError {
        return calls.call(model, new ChatRequest(messages, temperature, model.maxTokens()));
    }

    /** Runs {@code task} over {@code items} with the configured number in flight and a progress bar. */
    public <T, R> List<ModelCalls.Outcome<R>> map(List<T> items, String label, ModelCalls.Task<T, R> task) {
        return calls.map(items, label, task);
    }

    public TokenUsage usage() {
        return calls.usage();
    }

    /** Token accounting per model, then how many replies had to be asked again or stayed unreadable. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>(calls.usage().summary());
        lines.add(String.format(Locale.ROOT, "judge replies asked again: %,d; unreadable twice: %,d; failed calls: %,d",
                askedAgain.get(), unreadable.get(), failed.get()));
        return lines;
    }

    private static String excerpt(String reply) {
        String one = reply.strip().replaceAll("\\s+", " ");
        return "'" + (one.length() > 80 ? one.substring(0, 80) + "…" : one) + "'";
    }

    @Override
    public void close() throws IOException {
        calls.close();
    }
}
