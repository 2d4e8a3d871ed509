package org.chatcorpus.core.io.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.chatcorpus.core.io.RecordException;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/**
 * OpenAI chat fine-tuning JSONL: {@code {"messages": [{"role", "content"}], "model"?, "id"?}}.
 * Roles must be system, user or assistant (tool/function messages are an error naming the
 * message, since the release schema has no place for them).
 */
public final class OpenAiChatReader extends JsonRecordReader {
    private static final Set<String> ROLES = Set.of(Message.USER, Message.ASSISTANT, Message.SYSTEM);

    @Override
    public String format() {
        return "openai";
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        Set<String> keys = FirstRecordKeys.of(head);
        return keys.contains("messages") && !keys.contains("type");
    }

    @Override
    Conversation map(JsonNode r, Path file, long index) throws RecordException {
        JsonNode idNode = r.get("id");
        String id = idNode == null || idNode.isNull() ? derivedId(file, index) : org.chatcorpus.core.text.Utf16.scrub(idNode.asText());
        List<Message> msgs = ReleaseRecordJson.messages(r.get("messages"), "messages", "role", "content");
        for (int i = 0; i < msgs.size(); i++) {
            if (!ROLES.contains(msgs.get(i).role())) {
                throw new RecordException("field `messages[" + i + "].role` is '" + msgs.get(i).role()
                        + "', expected system, user or assistant");
            }
        }
        return Conversation.of(id, optText(r, "model", "model", "unknown"), msgs);
    }
}
