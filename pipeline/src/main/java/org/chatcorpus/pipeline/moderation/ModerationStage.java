package org.chatcorpus.pipeline.moderation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.pipeline.Stage;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * Tags every message with moderation categories, scores and flagged (one entry per message, as
 * LMSYS-Chat-1M's openai_moderation). Providers: "none" (leave as is), "local=MODEL_FILE" (the
 * offline model trained by {@code chatcorpus train-moderation}), "openai" (the OpenAI moderation
 * endpoint; key from OPENAI_API_KEY, base URL from OPENAI_BASE_URL, results cached on disk).
 * With {@code keepExisting}, conversations that already carry tags keep them.
 */
public record ModerationStage(String provider, boolean keepExisting) implements Stage {
    /** Models loaded once per JVM and path; read-only afterwards. */
    private static final Map<String, LocalModerator> MODELS = new ConcurrentHashMap<>();

    public static ModerationStage of(String provider, boolean keepExisting) {
        if (!provider.equals("none") && !provider.equals("openai") && !provider.startsWith("local=")) {
            throw new IllegalArgumentException("moderation provider must be none, openai or local=MODEL_FILE, not '" + provider + "'");
        }
        if (provider.startsWith("local=") && !Files.isRegularFile(Path.of(provider.substring(6)))) {
            throw new IllegalArgumentException("moderation model " + provider.substring(6) + " does not exist; train one with "
                    + "`chatcorpus train-moderation DATA --out MODEL`");
        }
        return new ModerationStage(provider, keepExisting);
    }

    @Override
    public String name() {
        return "moderate";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", provider);
        m.put("keepExisting", keepExisting);
        return m;
    }

    @Override
    public Map<String, String> tools() {
        if (provider.startsWith("local=")) {
            Path p = Path.of(provider.substring(6));
            try {
                return Map.of("moderation", "local model " + p.getFileName() + " sha256=" + ModerationTrainer.sha256(p)
                        + ": " + model().describe());
            } catch (IOException e) {
                return Map.of("moderation", "local model " + p);
            }
        }
        if (provider.equals("openai")) {
            return Map.of("moderation", "OpenAI moderation endpoint " + OpenAiModeration.baseUrl());
        }
        return Map.of();
    }

    /**
     * One line for the dataset card saying who tagged {@code openai_moderation}, or null when the
     * tags are left as they came: a release tagged by a local model must not pass for OpenAI's.
     */
    public String cardNote() {
        if (provider.startsWith("local=")) {
            return "The `openai_moderation` column was filled by a local model, not by OpenAI's moderation endpoint: "
                    + model().describe() + " (file `" + Path.of(provider.substring(6)).getFileName() + "`; see `provenance.json`).";
        }
        if (provider.equals("openai")) {
            return "The `openai_moderation` column was filled by OpenAI's moderation endpoint (" + OpenAiModeration.baseUrl() + ").";
        }
        return null;
    }

    private LocalModerator model() {
        return MODELS.computeIfAbsent(provider.substring(6), p -> {
            try {
                return LocalModerator.load(Path.of(p));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public StageOutcome process(Conversation c) {
        if (provider.equals("none") || keepExisting && !c.openaiModeration().isEmpty()) {
            return StageOutcome.keep(c);
        }
        List<Moderation> tags;
        if (provider.equals("openai")) {
            tags = OpenAiModeration.shared().moderate(c.conversation().stream().map(Message::content).toList());
        } else {
            tags = model().moderate(c.conversation().stream().map(Message::content).toList());
        }
        return StageOutcome.change(c.withModeration(tags));
    }
}
