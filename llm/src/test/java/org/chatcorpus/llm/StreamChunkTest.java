package org.chatcorpus.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading one streamed chat-completion chunk, as OpenAI-compatible servers send them. */
class StreamChunkTest {
    @Test
    void readsTheFirstChoicesDeltaContent() throws Exception {
        assertThat(StreamChunk.parse(
                "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\\u006co <b>\"}}]}", "m")
                .content()).isEqualTo("Hello <b>");
        // vLLM / llama.cpp order and extra members: logprobs, finish_reason, a second choice, usage
        StreamChunk c = StreamChunk.parse("{\"choices\":[{\"logprobs\":{\"content\":[{\"token\":\"no\"}]},\"finish_reason\":null,"
                + "\"delta\":{\"role\":\"assistant\",\"content\":\" world\"},\"index\":0},{\"delta\":{\"content\":\"other\"}}],"
                + "\"usage\":{\"content\":\"no\",\"prompt_tokens\":7,\"completion_tokens\":2}}", "m");
        assertThat(c.content()).isEqualTo(" world");
        assertThat(c.promptTokens()).isEqualTo(7);
        assertThat(c.completionTokens()).isEqualTo(2);
    }

    @Test
    void chunksWithoutTextGiveNothing() throws Exception {
        assertThat(StreamChunk.parse("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}", "m").content()).isEmpty();
        assertThat(StreamChunk.parse("{\"choices\":[{\"delta\":{\"content\":null}}]}", "m").content()).isEmpty();
        assertThat(StreamChunk.parse("{\"choices\":[]}", "m").content()).isEmpty();
        assertThat(StreamChunk.parse("{\"usage\":{\"total_tokens\":5}}", "m").promptTokens()).isEqualTo(-1);
        assertThat(StreamChunk.parse("[1,2]", "m").content()).isEmpty();
        assertThat(StreamChunk.parse("{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"error\":null}", "m").content()).isEqualTo("a");
    }

    @Test
    void anErrorMemberBecomesAModelErrorWithItsMessage() {
        assertThatThrownBy(() -> StreamChunk.parse("{\"error\":{\"message\":\"overloaded\",\"type\":\"server\"}}", "m"))
                .isInstanceOf(ModelError.class).hasMessage("model m reported: overloaded");
        assertThatThrownBy(() -> StreamChunk.parse("{\"choices\":[],\"error\":\"boom\"}", "m"))
                .isInstanceOf(ModelError.class).hasMessage("model m reported: error");
    }

    @Test
    void brokenOrCutJsonIsAnEventThatIsNotJson() {
        assertThatThrownBy(() -> StreamChunk.parse("{\"choices\":[{\"delta\":", "m"))
                .isInstanceOf(ModelError.class).hasMessage("model m sent an event that is not JSON");
        assertThatThrownBy(() -> StreamChunk.parse("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]", "m"))
                .isInstanceOf(ModelError.class).hasMessage("model m sent an event that is not JSON");
    }
}
