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
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.pipeline.Stage;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * Validates and normalises one conversation before anything else looks at it: roles to OpenAI's
 * user / assistant / system (human, gpt… are mapped), no empty conversation, at least one user
 * message, text that is valid Unicode (an unpaired surrogate, which cannot be written as UTF-8,
 * becomes U+FFFD by {@link Utf16}'s rule and the conversation counts as changed: text is text, it
 * is never a reason to lose a conversation), a model name,
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
            String content = Utf16.scrub(m.content());
            anyUser |= role.equals(Message.USER);
            boolean same = role.equals(m.role()) && content == m.content();
            changed |= !same;
            messages.add(same ? m : new Message(role, content));
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
