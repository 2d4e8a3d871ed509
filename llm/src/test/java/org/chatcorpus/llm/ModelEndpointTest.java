package org.chatcorpus.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelEndpointTest {
    @Test
    void nameEqualsUrlSendsTheNameAsModelId() {
        ModelEndpoint e = ModelEndpoint.parseModel("vicuna-13b=http://127.0.0.1:8000/v1/");
        assertThat(e.name()).isEqualTo("vicuna-13b");
        assertThat(e.model()).isEqualTo("vicuna-13b");
        assertThat(e.baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
        assertThat(e.apiKeyEnv()).isEqualTo("OPENAI_API_KEY");
    }

    @Test
    void nameEqualsIdAtUrlSendsTheId() {
        ModelEndpoint e = ModelEndpoint.parseModel("llama=meta-llama/Llama-2-13b-chat-hf@https://host:8443/v1");
        assertThat(e.name()).isEqualTo("llama");
        assertThat(e.model()).isEqualTo("meta-llama/Llama-2-13b-chat-hf");
        assertThat(e.baseUrl()).isEqualTo("https://host:8443/v1");
    }

    @Test
    void aJudgeIsModelAtUrlWithTemperatureZero() {
        ModelEndpoint e = ModelEndpoint.parseJudge("gpt-4-0613@https://api.openai.com/v1", "MY_KEY");
        assertThat(e.name()).isEqualTo("gpt-4-0613");
        assertThat(e.temperature()).isEqualTo(0.0);
        assertThat(e.apiKeyEnv()).isEqualTo("MY_KEY");
    }

    @Test
    void malformedSpecsSayWhatShapeIsExpected() {
        assertThatThrownBy(() -> ModelEndpoint.parseModel("vicuna")).hasMessageContaining("NAME=URL or NAME=ID@URL");
        assertThatThrownBy(() -> ModelEndpoint.parseModel("v=localhost:8000")).hasMessageContaining("is not an http:// or https://");
        assertThatThrownBy(() -> ModelEndpoint.parseJudge("http://h/v1", null)).hasMessageContaining("MODEL@URL");
    }
}
