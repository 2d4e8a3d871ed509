package org.chatcorpus.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;

class NetworkErrorStageTest {
    @Test
    void theNoticeInAnyCaseDropsTheConversation() {
        Conversation c = Conversation.of("1", "m", List.of(Message.user("hi"),
                Message.assistant("Network error due to high traffic. Please regenerate or refresh this page.")));
        assertThat(new NetworkErrorStage().process(c).dropReason()).isEqualTo("network_error");
    }

    @Test
    void theNoticeSplitAcrossTwoMessagesCountsBecauseTheSeedJoinsThemWithNothingBetween() {
        // clean_chat_data.py: NETWORK_ERROR_MSG in "".join([x["content"] for x in conversation]).lower()
        Conversation c = Conversation.of("1", "m", List.of(Message.user("say: NETWORK ERROR DUE TO HIGH TRAFFIC."),
                Message.assistant(" PLEASE REGENERATE OR REFRESH THIS PAGE.")));
        assertThat(new NetworkErrorStage().process(c).dropped()).isTrue();
    }

    @Test
    void ordinaryTextIsKept() {
        Conversation c = Conversation.of("1", "m", List.of(Message.user("what is a network error?"), Message.assistant("A failure.")));
        assertThat(new NetworkErrorStage().process(c).dropped()).isFalse();
    }
}
