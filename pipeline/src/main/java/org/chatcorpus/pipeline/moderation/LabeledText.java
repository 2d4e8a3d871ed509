package org.chatcorpus.pipeline.moderation;

/**
 * A training example: text and, per moderation category (ModerationCategory order), 1 / 0, or -1
 * when that category is not labeled for this example (unknown, not negative).
 */
public record LabeledText(String text, byte[] labels) {
}
