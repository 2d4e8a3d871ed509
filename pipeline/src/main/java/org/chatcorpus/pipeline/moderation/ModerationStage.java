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
 *
 * <p>When the endpoint refuses (401…) or keeps failing (5xx after every retry), {@code onError}
 * decides: {@code fail} stops the run with a {@link ModerationUnavailableException} naming the
 * endpoint and status (finished phases and cached results are kept, so rerunning resumes);
 * {@code skip} keeps each affected conversation with no moderation entries, noted "unmoderated"
 * (counted, and listed beside the quarantine).
 */
public record ModerationStage(String provider, boolean keepExisting, String onError) implements Stage {
    /** What to do when the endpoint refuses or keeps failing: stop the run, or keep the conversation unmoderated. */
    public static final String FAIL = "fail";
    public static final String SKIP = "skip";

    /** Models loaded once per JVM and path; read-only afterwards. */
    private static final Map<String, LocalModerator> MODELS = new ConcurrentHashMap<>();

    public static ModerationStage of(String provider, boolean keepExisting) {
        return of(provider, keepExisting, FAIL);
    }

    public static ModerationStage of(String provider, boolean keepExisting, String onError) {
        if (!FAIL.equals(onError) && !SKIP.equals(onError)) {
            throw new IllegalArgumentException("on moderation error must be skip or fail, not '" + onError + "'");
        }
        if (!provider.equals("none") && !provider.equals("openai") && !provider.startsWith("local=")) {
            throw new IllegalArgumentException("moderation provider must be none, openai or local=MODEL_FILE, not '" + provider + "'");
        }
        if (provider.startsWith("local=") && !Files.isRegularFile(Path.of(provider.substring(6)))) {
            throw new IllegalArgumentException("moderation model " + provider.substring(6) + " does not exist; train one with "
                    + "`chatcorpus train-moderation DATA --out MODEL`");
        }
        return new ModerationStage(provider, keepExisting, onError);
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
        m.put("onError", onError);
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

    /**
     * One text → one moderation, for callers that moderate something other than a conversation's
     * messages (the arena-33k chain moderates a battle's joined prompts); null for "none".
     */
    public static java.util.function.Function<String, Moderation> textModerator(String provider) {
        ModerationStage stage = of(provider, false);
        if (provider.equals("none")) {
            return null;
        }
        if (provider.equals("openai")) {
            return text -> OpenAiModeration.shared().moderate(List.of(text)).get(0);
        }
        LocalModerator m = stage.model();
        return text -> m.moderate(List.of(text)).get(0);
    }

    @Override
    public StageOutcome process(Conversation c) {
        if (provider.equals("none") || keepExisting && !c.openaiModeration().isEmpty()) {
            return StageOutcome.keep(c);
        }
        List<Moderation> tags;
        if (provider.equals("openai")) {
            try {
                tags = OpenAiModeration.shared().moderate(c.conversation().stream().map(Message::content).toList());
            } catch (ModerationUnavailableException e) {
                if (!SKIP.equals(onError)) {
                    throw e;
                }
                // Tagged by absence: no per-message entries, and the note lists it for a later moderation pass.
                StageOutcome o = c.openaiModeration().isEmpty() ? StageOutcome.keep(c) : StageOutcome.change(c.withModeration(List.of()));
                return o.noted("unmoderated", e.getMessage());
            }
        } else {
            tags = model().moderate(c.conversation().stream().map(Message::content).toList());
        }
        return StageOutcome.change(c.withModeration(tags));
    }
}
