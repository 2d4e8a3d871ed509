package org.chatcorpus.usecases.safety;

import java.util.List;

/** Something that judges messages: OpenAI's endpoint, a local model, or a chat model prompted as a moderator. */
public interface Moderator extends AutoCloseable {
    /** The name tables and JSON use, e.g. "openai", "local=moderation.model", "llm=gpt-4". */
    String name();

    /** One verdict per text, in order. */
    List<Verdict> judge(List<String> texts);

    @Override
    default void close() throws Exception {
    }
}
