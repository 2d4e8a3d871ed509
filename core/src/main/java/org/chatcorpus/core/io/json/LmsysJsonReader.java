package org.chatcorpus.core.io.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;
import org.chatcorpus.core.io.RecordException;
import org.chatcorpus.core.model.Conversation;

/** LMSYS-Chat-1M records as JSON lines or a JSON array (what `datasets` to_json and our writer produce). */
public final class LmsysJsonReader extends JsonRecordReader {
    @Override
    public String format() {
        return "lmsys";
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        Set<String> keys = FirstRecordKeys.of(head);
        return keys.contains("conversation_id") && keys.contains("conversation");
    }

    @Override
    Conversation map(JsonNode record, Path file, long index) throws RecordException {
        return ReleaseRecordJson.parse(record);
    }
}
