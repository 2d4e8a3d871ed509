package org.chatcorpus.core.model;

import java.util.Objects;

/**
 * One message of a conversation: {@code {content, role}} in the release schema.
 * Roles are OpenAI-style: "user", "assistant" (and "system" where a source has it).
 */
public record Message(String role, String content) {
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String SYSTEM = "system";

    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static Message user(String content) {
        return new Message(USER, content);
    }

    public static Message assistant(String content) {
        return new Message(ASSISTANT, content);
    }

    public boolean isUser() {
        return USER.equals(role);
    }

    public boolean isAssistant() {
        return ASSISTANT.equals(role);
    }
}
