package org.chatcorpus.pipeline.stages;

import java.util.Map;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.pipeline.Stage;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * Drops a conversation holding the serving network-error notice, as FastChat's clean_chat_data.py
 * (release commit 24acac17): {@code NETWORK_ERROR_MSG in "".join(contents).lower()}. The test is
 * on the messages joined with nothing between them, so a notice split across two messages counts
 * too. It runs before the conversation_id dedup because the seed drops these states before it
 * picks the last state of each conversation. Reason: network_error.
 */
public record NetworkErrorStage() implements Stage {
    static final String NOTICE = "network error due to high traffic. please regenerate or refresh this page.";

    @Override
    public String name() {
        return "network_error";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("notice", NOTICE);
    }

    @Override
    public StageOutcome process(Conversation c) {
        StringBuilder joined = new StringBuilder();
        for (Message m : c.conversation()) {
            joined.append(m.content());
        }
        return FilterStage.containsAsciiIgnoreCase(joined.toString(), NOTICE) ? StageOutcome.drop("network_error") : StageOutcome.keep(c);
    }
}
