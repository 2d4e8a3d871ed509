package org.chatcorpus.server.arena;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.chatcorpus.core.model.Message;

/**
 * One conversation with one model, logged as FastChat's {@code State.dict()}: the conversation
 * template's fields (template_name, system_message, roles, messages as [role, text] pairs, offset)
 * plus conv_id and model_name. A template with example messages (FastChat's one_shot) starts with
 * them and logs {@code offset} = their number, as fastchat/conversation.py does; turns, the model
 * call and curation all count from the offset. Not thread-safe: a session serialises its own requests.
 */
public final class ChatState {
    private final String convId;
    private final String modelName;
    private final ConversationTemplate template;
    private final List<String[]> messages = new ArrayList<>();
    /** The number of turns when the last vote was taken: one vote per answer. */
    private int votedAtTurns = -1;

    public ChatState(String modelName) {
        this(modelName, ConversationTemplate.CHATCORPUS);
    }

    public ChatState(String modelName, ConversationTemplate template) {
        this(modelName, template, uuid4Hex(java.util.concurrent.ThreadLocalRandom.current().nextLong(),
                java.util.concurrent.ThreadLocalRandom.current().nextLong()));
    }

    /** A state with a given id (a seeded replay draws ids from its seed). */
    ChatState(String modelName, String convId) {
        this(modelName, ConversationTemplate.CHATCORPUS, convId);
    }

    ChatState(String modelName, ConversationTemplate template, String convId) {
        this.convId = convId;
        this.modelName = modelName;
        this.template = template;
        for (String[] example : template.examples()) {
            messages.add(example.clone());
        }
    }

    /**
     * A random 128-bit id shaped as FastChat's uuid4().hex. A conversation id is public (releases
     * carry it) and only has to be unique, so it comes from the thread's fast generator; the session
     * cookie, which is a secret, comes from a SecureRandom. UUID.randomUUID shares one lock-guarded,
     * kernel-fed generator that every new conversation contended for.
     */
    static String uuid4Hex(long high, long low) {
        byte[] b = java.nio.ByteBuffer.allocate(16).putLong(high).putLong(low).array();
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4, as uuid4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // RFC 4122 variant
        return HexFormat.of().formatHex(b);
    }

    public String convId() {
        return convId;
    }

    public String modelName() {
        return modelName;
    }

    /** {@code (len(messages) - offset) // 2}, FastChat's turn count for its limit. */
    public int turns() {
        return (messages.size() - template.offset()) / 2;
    }

    boolean votedOnLastAnswer() {
        return votedAtTurns == turns();
    }

    void markVotedOnLastAnswer() {
        votedAtTurns = turns();
    }

    void addUser(String text) {
        messages.add(new String[] {template.userRole(), text});
    }

    void addAssistant(String text) {
        messages.add(new String[] {template.assistantRole(), text});
    }

    /** Removes the last prompt and its answer and returns the prompt, to ask it again (FastChat's "Regenerate"). */
    String dropLastTurn() {
        if (messages.size() < 2) {
            throw new IllegalStateException("no turn to drop");
        }
        messages.remove(messages.size() - 1);
        return messages.remove(messages.size() - 1)[1];
    }

    /**
     * The conversation as OpenAI chat messages, for the next model call: as FastChat's
     * to_openai_api_messages, the template's system message (when it has one) and the messages
     * from the offset on, alternating user / assistant; the examples are not sent.
     */
    public List<Message> openAiMessages() {
        List<Message> out = new ArrayList<>();
        if (!template.systemMessage().isEmpty()) {
            out.add(new Message(Message.SYSTEM, template.systemMessage()));
        }
        for (int i = template.offset(); i < messages.size(); i++) {
            out.add(new Message((i - template.offset()) % 2 == 0 ? Message.USER : Message.ASSISTANT, messages.get(i)[1]));
        }
        return out;
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode s = mapper.createObjectNode();
        s.put("template_name", template.name());
        s.put("system_message", template.systemMessage());
        s.putArray("roles").add(template.userRole()).add(template.assistantRole());
        ArrayNode msgs = s.putArray("messages");
        for (String[] m : messages) {
            msgs.addArray().add(m[0]).add(m[1]);
        }
        s.put("offset", template.offset());
        s.put("conv_id", convId);
        s.put("model_name", modelName);
        return s;
    }
}
