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
 * plus conv_id and model_name. Not thread-safe: a session serialises its own requests.
 */
public final class ChatState {
    static final String USER_ROLE = "USER";
    static final String ASSISTANT_ROLE = "ASSISTANT";

    private final String convId;
    private final String modelName;
    private final List<String[]> messages = new ArrayList<>();

    public ChatState(String modelName) {
        this(modelName, uuid4Hex(java.util.concurrent.ThreadLocalRandom.current().nextLong(),
                java.util.concurrent.ThreadLocalRandom.current().nextLong()));
    }

    /** A state with a given id (a seeded replay draws ids from its seed). */
    ChatState(String modelName, String convId) {
        this.convId = convId;
        this.modelName = modelName;
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

    public int turns() {
        return messages.size() / 2;
    }

    void addUser(String text) {
        messages.add(new String[] {USER_ROLE, text});
    }

    void addAssistant(String text) {
        messages.add(new String[] {ASSISTANT_ROLE, text});
    }

    /** Removes the last prompt and its answer and returns the prompt, to ask it again (FastChat's "Regenerate"). */
    String dropLastTurn() {
        if (messages.size() < 2) {
            throw new IllegalStateException("no turn to drop");
        }
        messages.remove(messages.size() - 1);
        return messages.remove(messages.size() - 1)[1];
    }

    /** The conversation as OpenAI chat messages, for the next model call. */
    public List<Message> openAiMessages() {
        List<Message> out = new ArrayList<>();
        for (String[] m : messages) {
            out.add(new Message(USER_ROLE.equals(m[0]) ? Message.USER : Message.ASSISTANT, m[1]));
        }
        return out;
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode s = mapper.createObjectNode();
        s.put("template_name", "chatcorpus");
        s.put("system_message", "");
        s.putArray("roles").add(USER_ROLE).add(ASSISTANT_ROLE);
        ArrayNode msgs = s.putArray("messages");
        for (String[] m : messages) {
            msgs.addArray().add(m[0]).add(m[1]);
        }
        s.put("offset", 0);
        s.put("conv_id", convId);
        s.put("model_name", modelName);
        return s;
    }
}
