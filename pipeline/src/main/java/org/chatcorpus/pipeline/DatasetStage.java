package org.chatcorpus.pipeline;

import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.chatcorpus.core.model.Conversation;

/**
 * A step that needs the whole dataset (FastChat's deduplication and sampling): it may read its
 * input several times, in order, and writes the conversations it keeps, in order. Memory must not
 * grow with conversation text: keep per-conversation keys or hashes, never whole conversations.
 */
public interface DatasetStage extends Serializable {
    String name();

    /**
     * @param input   opens a fresh pass over the input, in order
     * @param output  receives kept conversations, in order
     * @param counts  where to count what was seen, kept and dropped
     */
    void run(Supplier<Pass> input, Consumer<Conversation> output, StageCounts counts) throws IOException;

    Map<String, Object> config();

    /**
     * The same step as a per-conversation stage when, as configured, it needs no view of the whole
     * dataset (a sample of everything keeps everything); null otherwise. The runner then folds it
     * into the neighbouring chain instead of spending a phase (and a spill) on it.
     */
    default Stage asPerConversation() {
        return null;
    }

    /** One ordered pass over a stage's input. */
    interface Pass extends AutoCloseable {
        /** The next conversation, or null at the end. */
        Conversation next() throws IOException;

        @Override
        void close() throws IOException;
    }
}
