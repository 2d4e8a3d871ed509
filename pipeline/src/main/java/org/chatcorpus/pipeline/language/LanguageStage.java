package org.chatcorpus.pipeline.language;

import java.util.Map;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.pipeline.Stage;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * Sets {@code language} to the detected language of the first user message, as FastChat's
 * clean_chat_data.py does with its detector (there polyglot), as an English name or "unknown".
 */
public record LanguageStage(double minConfidence) implements Stage {
    public static final double DEFAULT_MIN_CONFIDENCE = 0.5;

    @Override
    public String name() {
        return "language";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("minConfidence", minConfidence, "text", "first user message");
    }

    @Override
    public Map<String, String> tools() {
        return Map.of("language", LanguageDetector.library());
    }

    @Override
    public StageOutcome process(Conversation c) {
        String lang = LanguageDetector.detect(c.firstPrompt(), minConfidence);
        return lang.equals(c.language()) ? StageOutcome.keep(c) : StageOutcome.change(c.withLanguage(lang));
    }
}
