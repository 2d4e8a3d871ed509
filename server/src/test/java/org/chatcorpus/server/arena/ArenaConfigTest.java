package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chatcorpus.llm.ModelEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Arena's YAML config, as documented in ArenaConfig, read into the llm module's model endpoints. */
class ArenaConfigTest {
    @TempDir
    Path dir;

    @Test
    void theDocumentedModelsBecomeEndpointsWithTheirDefaults() throws IOException {
        Path file = dir.resolve("arena.yaml");
        Files.writeString(file, """
                port: 7861
                models:
                  - {name: vicuna-13b, baseUrl: http://127.0.0.1:8000/v1, temperature: 0.2, maxTokens: 256}
                  - {name: gpt-4, baseUrl: https://api.openai.com/v1/, model: gpt-4-0613, apiKeyEnv: OPENAI_API_KEY, temperature: 0.7}
                modelTimeoutSeconds: 30
                """);
        ArenaConfig c = ArenaConfig.read(file);
        assertThat(c.port()).isEqualTo(7861);
        assertThat(c.modelTimeoutSeconds()).isEqualTo(30);
        assertThat(c.models()).containsExactly(
                new ModelEndpoint("vicuna-13b", "http://127.0.0.1:8000/v1", "vicuna-13b", null, 0.2, 256),
                new ModelEndpoint("gpt-4", "https://api.openai.com/v1/", "gpt-4-0613", "OPENAI_API_KEY", 0.7, 1024));
    }

    @Test
    void aMisspelledModelFieldIsAnErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("arena.yaml");
        Files.writeString(file, "models:\n  - {name: m, base_url: http://127.0.0.1:8000/v1}\n");
        assertThatThrownBy(() -> ArenaConfig.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("config " + file).hasMessageContaining("base_url");
    }
}
