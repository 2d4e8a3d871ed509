package org.chatcorpus.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chatcorpus.core.io.json.ReleaseRecordJson;
import org.chatcorpus.core.model.Conversation;

/** Writes conversations as LMSYS-Chat-1M JSON lines (the shape LmsysJsonReader reads). */
public final class JsonlConversationWriter implements ConversationWriter {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final OutputStream out;
    private final boolean withCollection;

    public JsonlConversationWriter(OutputStream out, boolean withCollection) {
        this.out = out;
        this.withCollection = withCollection;
    }

    public static JsonlConversationWriter create(Path file, boolean withCollection) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new JsonlConversationWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), withCollection);
    }

    @Override
    public void write(Conversation c) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        ReleaseRecordJson.write(c, g, withCollection);
        g.flush();
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
