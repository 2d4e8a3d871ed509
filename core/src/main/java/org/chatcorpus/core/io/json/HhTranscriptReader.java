package org.chatcorpus.core.io.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.io.RecordException;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/**
 * Anthropic HH-RLHF JSONL ({@code {"chosen": "...", "rejected": "..."}}): the chosen transcript
 * (or the rejected one, by option) split on "\n\nHuman: " and "\n\nAssistant: " into user and
 * assistant messages. Text before the first marker is an error, as is a transcript with no marker.
 * conversation_id is a hash of file and line; model is "anthropic-hh".
 */
public final class HhTranscriptReader extends JsonRecordReader {
    static final String HUMAN = "\n\nHuman: ";
    static final String ASSISTANT = "\n\nAssistant: ";

    private final String field;

    public HhTranscriptReader() {
        this("chosen");
    }

    public HhTranscriptReader(String field) {
        this.field = field;
    }

    @Override
    public String format() {
        return "hh";
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        return FirstRecordKeys.of(head).contains("chosen");
    }

    @Override
    Conversation map(JsonNode r, Path file, long index) throws RecordException {
        String transcript = text(r, field, field);
        return Conversation.of(derivedId(file, index), "anthropic-hh", split(transcript, field));
    }

    /** A transcript split into user and assistant messages; {@code path} names the field in errors. */
    public static List<Message> split(String t, String path) throws RecordException {
        List<Message> out = new ArrayList<>();
        int pos = 0;
        String role = null;
        int contentStart = -1;
        while (pos <= t.length()) {
            int h = t.indexOf(HUMAN, pos);
            int a = t.indexOf(ASSISTANT, pos);
            int next = h < 0 ? a : a < 0 ? h : Math.min(h, a);
            if (role == null) {
                if (next != 0) {
                    throw new RecordException("field `" + path + "` does not start with \"\\n\\nHuman: \"");
                }
            } else {
                out.add(new Message(role, t.substring(contentStart, next < 0 ? t.length() : next)));
            }
            if (next < 0) {
                break;
            }
            boolean human = next == h;
            role = human ? Message.USER : Message.ASSISTANT;
            contentStart = next + (human ? HUMAN.length() : ASSISTANT.length());
            pos = contentStart;
        }
        return out;
    }
}
