package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading the text of one streamed chat-completion chunk, as OpenAI-compatible servers send them. */
class ChatCompletionChunkTest {
    private static final ModelEndpoint M = new ModelEndpoint("m", "http://127.0.0.1:1/v1", "m", null, 0.7, 16);

    @Test
    void readsTheFirstChoicesDeltaContent() throws Exception {
        assertThat(ChatCompletionClient.deltaContent(
                "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\\u006co <b>\"}}]}", M))
                .isEqualTo("Hello <b>");
        // vLLM / llama.cpp order and extra members: usage, logprobs, finish_reason, a second choice
        assertThat(ChatCompletionClient.deltaContent("{\"choices\":[{\"logprobs\":{\"content\":[{\"token\":\"no\"}]},\"finish_reason\":null,"
                + "\"delta\":{\"role\":\"assistant\",\"content\":\" world\"},\"index\":0},{\"delta\":{\"content\":\"other\"}}],"
                + "\"usage\":{\"content\":\"no\"}}", M)).isEqualTo(" world");
    }

    @Test
    void chunksWithoutTextGiveNothing() throws Exception {
        assertThat(ChatCompletionClient.deltaContent("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}", M)).isEmpty();
        assertThat(ChatCompletionClient.deltaContent("{\"choices\":[{\"delta\":{\"content\":null}}]}", M)).isEmpty();
        assertThat(ChatCompletionClient.deltaContent("{\"choices\":[]}", M)).isEmpty();
        assertThat(ChatCompletionClient.deltaContent("{\"usage\":{\"total_tokens\":5}}", M)).isEmpty();
        assertThat(ChatCompletionClient.deltaContent("[1,2]", M)).isEmpty();
    }

    @Test
    void anErrorMemberBecomesAModelError() {
        assertThatThrownBy(() -> ChatCompletionClient.deltaContent("{\"error\":{\"message\":\"overloaded\",\"type\":\"server\"}}", M))
                .isInstanceOf(ChatCompletionClient.ModelError.class).hasMessage("model m reported: overloaded");
        assertThatThrownBy(() -> ChatCompletionClient.deltaContent("{\"choices\":[],\"error\":\"boom\"}", M))
                .isInstanceOf(ChatCompletionClient.ModelError.class).hasMessage("model m reported: error");
    }

    @Test
    void brokenJsonIsAnIoError() {
        assertThatThrownBy(() -> ChatCompletionClient.deltaContent("{\"choices\":[{\"delta\":", M)).isInstanceOf(java.io.IOException.class);
    }
}
