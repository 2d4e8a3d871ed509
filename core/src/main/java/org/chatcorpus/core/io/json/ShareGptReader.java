package org.chatcorpus.core.io.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.chatcorpus.core.io.RecordException;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/**
 * ShareGPT / FastChat training format: {@code {"id", "conversations": [{"from", "value"}]}} as a
 * JSON array or JSON lines. Roles map human/user -> user, gpt/chatgpt/bard/bing/assistant ->
 * assistant, system -> system; an unknown role is an error naming the message. {@code id} becomes
 * conversation_id (a file-and-position hash when missing); {@code model} is kept when present,
 * else "unknown".
 */
public final class ShareGptReader extends JsonRecordReader {
    @Override
    public String format() {
        return "sharegpt";
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        return FirstRecordKeys.of(head).contains("conversations");
    }

    @Override
    Conversation map(JsonNode r, Path file, long index) throws RecordException {
        JsonNode idNode = r.get("id");
        String id = idNode == null || idNode.isNull() ? derivedId(file, index) : org.chatcorpus.core.text.Utf16.scrub(idNode.asText());
        String model = optText(r, "model", "model", "unknown");
        List<Message> raw = ReleaseRecordJson.messages(r.get("conversations"), "conversations", "from", "value");
        List<Message> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(new Message(role(raw.get(i).role(), "conversations[" + i + "].from"), raw.get(i).content()));
        }
        return Conversation.of(id, model, out);
    }

    static String role(String from, String path) throws RecordException {
        return switch (from.toLowerCase(Locale.ROOT)) {
            case "human", "user" -> Message.USER;
            case "gpt", "chatgpt", "bard", "bing", "assistant", "model" -> Message.ASSISTANT;
            case "system" -> Message.SYSTEM;
            default -> throw new RecordException("field `" + path + "` is '" + from + "', expected human, gpt or system");
        };
    }
}
