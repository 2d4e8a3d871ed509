package org.chatcorpus.usecases.safety;

/**
 * A message with the moderation verdict people (or OpenAI's endpoint) gave it.
 *
 * @param source     where it came from ("file:line" or "file#conversation_id/index")
 * @param text       the message
 * @param categories per {@link org.chatcorpus.core.model.ModerationCategory}: 1, 0, or -1 when not labeled
 * @param flagged    1 (toxic), 0 (not), -1 when unknown
 */
public record LabeledMessage(String source, String text, byte[] categories, byte flagged) {
}
