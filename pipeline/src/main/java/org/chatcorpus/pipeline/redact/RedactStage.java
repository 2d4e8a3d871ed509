package org.chatcorpus.pipeline.redact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.pipeline.Stage;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * Replaces person names with NAME_1, NAME_2… across all messages of a conversation (the same name
 * gets the same tag in every turn) and sets {@code redacted = true} when anything was replaced,
 * as the LMSYS-Chat-1M release did.
 */
public record RedactStage() implements Stage {
    private static final class Holder {
        static final NameRedactor REDACTOR = new NameRedactor();
    }

    public static RedactStage withDefaults() {
        return new RedactStage();
    }

    @Override
    public String name() {
        return "redact";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("entity", "PERSON", "placeholder", "NAME_n");
    }

    @Override
    public Map<String, String> tools() {
        return Map.of("redact", "chatcorpus NameModel: averaged-perceptron tagger of capitalised words (names.model, "
                + "trained by `chatcorpus train-names --seed 42` on datafaker-generated text)");
    }

    @Override
    public StageOutcome process(Conversation c) {
        Map<String, String> tags = new LinkedHashMap<>();
        List<Message> out = new ArrayList<>(c.conversation().size());
        boolean changed = false;
        for (Message m : c.conversation()) {
            String r = Holder.REDACTOR.redact(m.content(), tags);
            changed |= !r.equals(m.content());
            out.add(r.equals(m.content()) ? m : new Message(m.role(), r));
        }
        return changed ? StageOutcome.change(c.withRedacted(out, true)) : StageOutcome.keep(c);
    }
}
