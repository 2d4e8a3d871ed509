package org.chatcorpus.llm;

import java.util.List;
import java.util.Objects;
import org.chatcorpus.core.model.Message;

/**
 * One chat-completion request: the messages plus the sampling settings that change the answer.
 * Two equal requests to the same model are the same call, which is what the reply cache keys on.
 *
 * @param messages    the conversation so far, ending with the turn to answer
 * @param temperature sampling temperature
 * @param maxTokens   answer length cap
 */
public record ChatRequest(List<Message> messages, double temperature, int maxTokens) {
    public ChatRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
    }

    /** A request with the endpoint's own sampling settings. */
    public static ChatRequest of(ModelEndpoint endpoint, List<Message> messages) {
        return new ChatRequest(messages, endpoint.temperature(), endpoint.maxTokens());
    }
}
