package org.chatcorpus.battles;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.chatcorpus.core.model.Message;

/**
 * One message of a battle side. Unlike a release {@link Message}, the content may be null: the
 * Kaggle competition's cells hold {@code null} for turns that have no text, and a round trip
 * through another layout must give that null back, not "".
 */
public record BattleMessage(String role, String content) {
    public BattleMessage {
        Objects.requireNonNull(role, "role");
    }

    public static BattleMessage user(String content) {
        return new BattleMessage(Message.USER, content);
    }

    public static BattleMessage assistant(String content) {
        return new BattleMessage(Message.ASSISTANT, content);
    }

    public boolean isUser() {
        return Message.USER.equals(role);
    }

    public boolean isAssistant() {
        return Message.ASSISTANT.equals(role);
    }

    /** The content, "" where it is null. */
    public String text() {
        return content == null ? "" : content;
    }

    public static List<BattleMessage> of(List<Message> messages) {
        List<BattleMessage> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            out.add(new BattleMessage(m.role(), m.content()));
        }
        return out;
    }

    /** The release view: null content becomes "". */
    public static List<Message> toMessages(List<BattleMessage> messages) {
        List<Message> out = new ArrayList<>(messages.size());
        for (BattleMessage m : messages) {
            out.add(new Message(m.role(), m.text()));
        }
        return out;
    }

    /** The contents of one role, in order (nulls kept): a Kaggle prompt or response cell. */
    public static List<String> contents(List<BattleMessage> messages, String role) {
        List<String> out = new ArrayList<>();
        for (BattleMessage m : messages) {
            if (m.role().equals(role)) {
                out.add(m.content());
            }
        }
        return out;
    }

    /**
     * A side from Kaggle cells: prompt i then response i, for i up to the longer list. Lists of
     * unequal length (real in the competition data) keep their extra items in order.
     */
    public static List<BattleMessage> interleave(List<String> prompts, List<String> responses) {
        List<BattleMessage> out = new ArrayList<>(prompts.size() + responses.size());
        for (int i = 0; i < Math.max(prompts.size(), responses.size()); i++) {
            if (i < prompts.size()) {
                out.add(user(prompts.get(i)));
            }
            if (i < responses.size()) {
                out.add(assistant(responses.get(i)));
            }
        }
        return out;
    }
}
