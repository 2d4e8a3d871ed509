package org.chatcorpus.core.io;

import java.io.IOException;
import org.chatcorpus.core.model.Conversation;

/**
 * Writes conversations to some output. Not thread-safe: one writer per thread or synchronize.
 * Closing finishes the output; an output that was not closed must never look complete.
 */
public interface ConversationWriter extends AutoCloseable {
    void write(Conversation conversation) throws IOException;

    @Override
    void close() throws IOException;
}
