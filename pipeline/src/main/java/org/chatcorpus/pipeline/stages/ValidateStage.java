package org.chatcorpus.pipeline.stages;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.pipeline.Stage;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * Validates and normalises one conversation before anything else looks at it: roles to OpenAI's
 * user / assistant / system (human, gpt… are mapped), no empty conversation, at least one user
 * message, text that is valid Unicode (a lone surrogate cannot be written as UTF-8), a model name,
 * {@code turn = len(conversation) // 2}, and a 32-hex conversation_id where one is missing
 * (derived from the seed and the conversation's content, so it is the same on every run).
 */
public record ValidateStage(long seed) implements Stage {
    @Override
    public String name() {
        return "validate";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("seed", seed);
    }

    @Override
    public StageOutcome process(Conversation c) {
        if (c.conversation().isEmpty()) {
            return StageOutcome.drop("empty_conversation");
        }
        if (c.model().isBlank()) {
            return StageOutcome.drop("missing_model");
        }
        boolean changed = false;
        List<Message> messages = new ArrayList<>(c.conversation().size());
        boolean anyUser = false;
        for (Message m : c.conversation()) {
            String role = role(m.role());
            if (role == null) {
                return StageOutcome.drop("unknown_role");
            }
            if (!isValidUnicode(m.content())) {
                return StageOutcome.drop("invalid_unicode");
            }
            anyUser |= role.equals(Message.USER);
            changed |= !role.equals(m.role());
            messages.add(role.equals(m.role()) ? m : new Message(role, m.content()));
        }
        if (!anyUser) {
            return StageOutcome.drop("no_user_message");
        }
        Conversation out = changed ? c.withMessages(messages) : c;
        long turn = Conversation.turnsOf(messages);
        if (out.turn() != turn) {
            out = out.withTurn(turn);
            changed = true;
        }
        if (out.conversationId().isBlank()) {
            out = out.withConversationId(derivedId(out));
            changed = true;
        }
        return changed ? StageOutcome.change(out) : StageOutcome.keep(out);
    }

    static String role(String r) {
        return switch (r.toLowerCase(Locale.ROOT)) {
            case "user", "human", "prompter" -> Message.USER;
            case "assistant", "gpt", "bot", "chatgpt", "model" -> Message.ASSISTANT;
            case "system" -> Message.SYSTEM;
            default -> null;
        };
    }

    static boolean isValidUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(ch)) {
                return false;
            }
        }
        return true;
    }

    private String derivedId(Conversation c) {
        long h = seed;
        for (Message m : c.conversation()) {
            for (byte b : m.content().getBytes(StandardCharsets.UTF_8)) {
                h = h * 1099511628211L + b;
            }
            h = h * 31 + m.role().hashCode();
        }
        SplittableRandom r = new SplittableRandom(h ^ c.model().hashCode());
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16).putLong(r.nextLong()).putLong(r.nextLong()).array());
    }
}
