package org.chatcorpus.usecases.safety;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.llm.ModelEndpoint;

/** Builds a moderator from its command-line spec: {@code openai}, {@code local=MODEL_FILE} or {@code llm=MODEL@URL}. */
public final class Moderators {
    private Moderators() {
    }

    /**
     * @param env   where {@code openai} finds OPENAI_BASE_URL and OPENAI_API_KEY (the process environment in the CLI)
     * @param calls model calls for {@code llm=} moderators (concurrency, retries, cache)
     * @throws IllegalArgumentException with a message for people when the spec is wrong
     */
    public static Moderator open(String spec, boolean oneShot, Map<String, String> env, ModelCalls calls) throws IOException {
        if (spec.equals("openai")) {
            return new OpenAiModerator(env);
        }
        if (spec.startsWith("local=") && spec.length() > 6) {
            return new LocalModelModerator(Path.of(spec.substring(6)));
        }
        if (spec.startsWith("llm=") && spec.length() > 4) {
            return new LlmModerator(ModelEndpoint.parseJudge(spec.substring(4), null), calls, oneShot);
        }
        throw new IllegalArgumentException("moderator '" + spec + "' should be openai, local=MODEL_FILE or llm=MODEL@URL "
                + "(e.g. llm=gpt-4@https://api.openai.com/v1)");
    }
}
