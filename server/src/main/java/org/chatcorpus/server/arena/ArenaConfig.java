package org.chatcorpus.server.arena;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.llm.ModelEndpoint;

/**
 * The Arena's configuration, read from YAML or JSON (JSON is valid YAML). Every field has a
 * default, so an empty file (or none) gives a working server over the loopback model server.
 * A model entry is read into the {@link ModelEndpoint} every model call in chatcorpus uses.
 *
 * <pre>
 * host: 127.0.0.1
 * port: 7860
 * dataDir: /var/lib/arena        # logs/ and the embedded database; default ~/.local/share/chatcorpus/arena
 * database: {url: jdbc:postgresql://localhost/arena, user: arena, passwordEnv: ARENA_DB_PASSWORD}
 * models:
 *   - {name: vicuna-13b, baseUrl: http://127.0.0.1:8000/v1, temperature: 0.7, maxTokens: 1024}
 *   - {name: gpt-4, baseUrl: https://api.openai.com/v1, apiKeyEnv: OPENAI_API_KEY}
 * limits: {requestsPerMinute: 30, maxPromptChars: 16000, maxTurns: 50,
 *          addressRequestsPerMinute: 300, newSessionsPerMinute: 10, maxSessions: 100000, sessionIdleMinutes: 30}
 * moderation: {blockedWords: [...]}   # optional gate on prompts
 * trustedProxies: [127.0.0.1, 10.0.0.0/8]   # only these peers may name the client (X-Forwarded-For, CF-Connecting-IP)
 * tlsProxy: false                      # true behind a proxy that serves the site over HTTPS: cookies get Secure,
 *                                      # and a user's address is the last X-Forwarded-For entry
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
        @JsonProperty("modelTimeoutSeconds") int modelTimeoutSeconds,
        @JsonProperty("trustedProxies") List<String> trustedProxies,
        @JsonProperty("tlsProxy") boolean tlsProxy) {

    public record Database(String url, String user, String passwordEnv) {
        public String password() {
            return passwordEnv == null ? null : System.getenv(passwordEnv);
        }
    }

    /**
     * Per-user limits. {@code requestsPerMinute} is per session (messages and votes each have their
     * bucket); {@code addressRequestsPerMinute} is per client address, shared by its sessions (many
     * users can sit behind one address, so it is larger; default 10× the per-session rate);
     * {@code newSessionsPerMinute} caps consents per address (default a third of the per-session
     * rate, at least 10). At most {@code maxSessions} sessions
     * are kept; when full, only a session idle for {@code sessionIdleMinutes} may make room.
     */
    public record Limits(int requestsPerMinute, int maxPromptChars, int maxTurns, int addressRequestsPerMinute,
                         int newSessionsPerMinute, int maxSessions, int sessionIdleMinutes) {
        @com.fasterxml.jackson.annotation.JsonCreator
        public Limits {
            requestsPerMinute = requestsPerMinute <= 0 ? 30 : requestsPerMinute;
            maxPromptChars = maxPromptChars <= 0 ? 16_000 : maxPromptChars;
            maxTurns = maxTurns <= 0 ? 50 : maxTurns;
            addressRequestsPerMinute = addressRequestsPerMinute <= 0
                    ? (int) Math.min(Integer.MAX_VALUE, 10L * requestsPerMinute) : addressRequestsPerMinute;
            newSessionsPerMinute = newSessionsPerMinute <= 0 ? Math.max(10, requestsPerMinute / 3) : newSessionsPerMinute;
            maxSessions = maxSessions <= 0 ? 100_000 : maxSessions;
            sessionIdleMinutes = sessionIdleMinutes <= 0 ? 30 : sessionIdleMinutes;
        }

        /** The first three limits; the others take their defaults. */
        public Limits(int requestsPerMinute, int maxPromptChars, int maxTurns) {
            this(requestsPerMinute, maxPromptChars, maxTurns, 0, 0, 0, 0);
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
        for (ModelEndpoint m : models) {
            ConversationTemplate.named(m.template()); // fails early, naming the template, when it is unknown
        }
        limits = limits == null ? new Limits(0, 0, 0) : limits;
        moderation = moderation == null ? new Moderation(List.of()) : moderation;
        modelTimeoutSeconds = modelTimeoutSeconds <= 0 ? 60 : modelTimeoutSeconds;
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
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
        return new ArenaConfig(null, 0, null, null, null, null, null, 0, null, false);
    }

    /** The same configuration with these models (used to point the default config at the loopback model server). */
    public ArenaConfig withModels(List<ModelEndpoint> newModels) {
        return new ArenaConfig(host, port, dataDir, database, newModels, limits, moderation, modelTimeoutSeconds, trustedProxies, tlsProxy);
    }

    public ArenaConfig withPort(int newPort) {
        return new ArenaConfig(host, newPort, dataDir, database, models, limits, moderation, modelTimeoutSeconds, trustedProxies, tlsProxy);
    }

    public ArenaConfig withDataDir(String dir) {
        return new ArenaConfig(host, port, dir, database, models, limits, moderation, modelTimeoutSeconds, trustedProxies, tlsProxy);
    }

    public ArenaConfig withDatabase(Database db) {
        return new ArenaConfig(host, port, dataDir, db, models, limits, moderation, modelTimeoutSeconds, trustedProxies, tlsProxy);
    }

    public ArenaConfig withLimits(Limits l) {
        return new ArenaConfig(host, port, dataDir, database, models, l, moderation, modelTimeoutSeconds, trustedProxies, tlsProxy);
    }

    public ArenaConfig withTrustedProxies(List<String> proxies) {
        return new ArenaConfig(host, port, dataDir, database, models, limits, moderation, modelTimeoutSeconds, proxies, tlsProxy);
    }

    public ArenaConfig withModeration(Moderation m) {
        return new ArenaConfig(host, port, dataDir, database, models, limits, m, modelTimeoutSeconds, trustedProxies, tlsProxy);
    }

    /** The same configuration, served behind a TLS proxy (or not): session cookies are then marked Secure. */
    public ArenaConfig withTlsProxy(boolean behindTls) {
        return new ArenaConfig(host, port, dataDir, database, models, limits, moderation, modelTimeoutSeconds, trustedProxies, behindTls);
    }

    /** The scripted models the embedded default serves, as in the early Vicuna demo's line-up. */
    public static List<ModelEndpoint> scriptedModels(String baseUrl) {
        return List.of("vicuna-13b", "koala-13b", "alpaca-13b", "chatglm-6b", "llama-13b").stream()
                .map(n -> new ModelEndpoint(n, baseUrl, n, null, 0.7, 512)).toList();
    }
}
