package org.chatcorpus.llm;

/**
 * A model's whole answer and what it cost.
 *
 * @param text             the answer
 * @param promptTokens     tokens the endpoint counted for the request (0 when it did not say)
 * @param completionTokens tokens of the answer (0 when the endpoint did not say)
 * @param cached           true when the answer came from the on-disk cache, not the endpoint
 */
public record ChatReply(String text, long promptTokens, long completionTokens, boolean cached) {
    public ChatReply asCached() {
        return new ChatReply(text, promptTokens, completionTokens, true);
    }
}
