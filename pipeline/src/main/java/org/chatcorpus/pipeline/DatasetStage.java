package org.chatcorpus.pipeline;

import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
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
     * @param input    opens a fresh pass over the input, in order
     * @param outcomes told, in input order, what became of every conversation: kept, changed
     *                 (written, counted as changed) or dropped with a reason (counted and quarantined)
     */
    void run(Supplier<Pass> input, Outcomes outcomes) throws IOException;

    /** Where a whole-dataset stage reports each conversation's fate; the runner counts, writes and quarantines. */
    interface Outcomes {
        void keep(Conversation c);

        void change(Conversation c);

        void drop(Conversation c, String reason);
    }

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

        /** A pass over conversations already in memory (tests, benchmarks, small inputs). */
        static Pass over(Iterable<Conversation> conversations) {
            return over(conversations.iterator());
        }

        /**
         * A pass over an iterator. Closing it drains what the stage did not read, so an iterator
         * fed by a reader thread lets that thread end.
         */
        static Pass over(java.util.Iterator<Conversation> it) {
            return new Pass() {
                @Override
                public Conversation next() {
                    return it.hasNext() ? it.next() : null;
                }

                @Override
                public void close() {
                    while (it.hasNext()) {
                        it.next();
                    }
                }
            };
        }
    }
}
