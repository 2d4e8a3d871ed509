package org.chatcorpus.server.arena;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The Arena's configuration, read from YAML or JSON (JSON is valid YAML). Every field has a
 * default, so an empty file (or none) gives a working server over the loopback model server.
 *
 * <pre>
 * host: 127.0.0.1
 * port: 7860
 * dataDir: /var/lib/arena        # logs/ and the embedded database; default ~/.local/share/chatcorpus/arena
 * database: {url: jdbc:postgresql://localhost/arena, user: arena, passwordEnv: ARENA_DB_PASSWORD}
 * models:
 *   - {name: vicuna-13b, baseUrl: http://127.0.0.1:8000/v1, temperature: 0.7, maxTokens: 1024}
 *   - {name: gpt-4, baseUrl: https://api.openai.com/v1, apiKeyEnv: OPENAI_API_KEY}
 * limits: {requestsPerMinute: 30, maxPromptChars: 16000, maxTurns: 50}
 * moderation: {blockedWords: [...]}   # optional gate on prompts
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ArenaConfig(
        @JsonProperty("host") String host,
        @JsonProperty("port") int port,
        @JsonProperty("dataDir") String dataDir,
        @JsonProperty("database") Database database,
        @JsonProperty("models") List<ModelEndpoint> models,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("moderation") Moderation moderation,
        @JsonProperty("modelTimeoutSeconds") int modelTimeoutSeconds) {

    public record Database(String url, String user, String passwordEnv) {
        public String password() {
            return passwordEnv == null ? null : System.getenv(passwordEnv);
        }
    }

    public record Limits(int requestsPerMinute, int maxPromptChars, int maxTurns) {
        public Limits {
            requestsPerMinute = requestsPerMinute <= 0 ? 30 : requestsPerMinute;
            maxPromptChars = maxPromptChars <= 0 ? 16_000 : maxPromptChars;
            maxTurns = maxTurns <= 0 ? 50 : maxTurns;
        }
    }

    public record Moderation(List<String> blockedWords) {
        public Moderation {
            blockedWords = blockedWords == null ? List.of() : List.copyOf(blockedWords);
        }
    }

    public ArenaConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port <= 0 ? 7860 : port;
        dataDir = dataDir == null ? defaultDataDir() : dataDir;
        models = models == null ? List.of() : List.copyOf(models);
        limits = limits == null ? new Limits(0, 0, 0) : limits;
        moderation = moderation == null ? new Moderation(List.of()) : moderation;
        modelTimeoutSeconds = modelTimeoutSeconds <= 0 ? 60 : modelTimeoutSeconds;
    }

    /**
     * Outside any checkout, so running the Arena from a clone never writes conversations into it:
     * $XDG_DATA_HOME/chatcorpus/arena, else ~/.local/share/chatcorpus/arena.
     */
    public static String defaultDataDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("chatcorpus").resolve("arena").toString();
    }

    public static ArenaConfig read(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);
        try {
            ArenaConfig c = yaml.readValue(file.toFile(), ArenaConfig.class);
            return c == null ? defaults() : c;
        } catch (IOException e) {
            throw new IOException("config " + file + ": " + e.getMessage(), e);
        }
    }

    public static ArenaConfig defaults() {
        return new ArenaConfig(null, 0, null, null, null, null, null, 0);
    }

    /** The same configuration with these models (used to point the default config at the loopback model server). */
    public ArenaConfig withModels(List<ModelEndpoint> newModels) {
        return new ArenaConfig(host, port, dataDir, database, newModels, limits, moderation, modelTimeoutSeconds);
    }

    public ArenaConfig withPort(int newPort) {
        return new ArenaConfig(host, newPort, dataDir, database, models, limits, moderation, modelTimeoutSeconds);
    }

    public ArenaConfig withDataDir(String dir) {
        return new ArenaConfig(host, port, dir, database, models, limits, moderation, modelTimeoutSeconds);
    }

    public ArenaConfig withDatabase(Database db) {
        return new ArenaConfig(host, port, dataDir, db, models, limits, moderation, modelTimeoutSeconds);
    }

    public ArenaConfig withLimits(Limits l) {
        return new ArenaConfig(host, port, dataDir, database, models, l, moderation, modelTimeoutSeconds);
    }

    public ArenaConfig withModeration(Moderation m) {
        return new ArenaConfig(host, port, dataDir, database, models, limits, m, modelTimeoutSeconds);
    }

    /** The scripted models the embedded default serves, as in the early Vicuna demo's line-up. */
    public static List<ModelEndpoint> scriptedModels(String baseUrl) {
        return List.of("vicuna-13b", "koala-13b", "alpaca-13b", "chatglm-6b", "llama-13b").stream()
                .map(n -> new ModelEndpoint(n, baseUrl, n, null, 0.7, 512)).toList();
    }
}
