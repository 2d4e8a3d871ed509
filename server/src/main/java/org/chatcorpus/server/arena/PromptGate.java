package org.chatcorpus.server.arena;

import java.util.List;
import java.util.Locale;

/**
 * The optional moderation gate on prompts. FastChat answers a blocked prompt with its
 * "$MODERATION$" notice instead of calling the model; we do the same and log the event.
 */
public interface PromptGate {
    String MODERATION_MESSAGE = "$MODERATION$ YOUR INPUT VIOLATES OUR CONTENT MODERATION GUIDELINES.";

    /** True when the prompt may go to the model. */
    boolean allows(String prompt);

    static PromptGate open() {
        return prompt -> true;
    }

    /** Blocks prompts containing any of the words, compared case-folded. */
    static PromptGate blockedWords(List<String> words) {
        List<String> folded = words.stream().map(w -> w.toLowerCase(Locale.ROOT)).filter(w -> !w.isBlank()).toList();
        if (folded.isEmpty()) {
            return open();
        }
        return prompt -> {
            String p = prompt.toLowerCase(Locale.ROOT);
            return folded.stream().noneMatch(p::contains);
        };
    }
}
