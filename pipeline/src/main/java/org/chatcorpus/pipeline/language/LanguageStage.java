package org.chatcorpus.pipeline.language;

import java.util.LinkedHashMap;
import java.util.Map;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.pipeline.Stage;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * Sets {@code language} to the detected language of the first user message, as FastChat's
 * clean_chat_data.py does with its detector (there polyglot), as an English name or "unknown".
 *
 * <p>Detectors: {@code fasttext} (default: fastText's lid.176, 176 languages, with a chat-language
 * prior for very short prompts), {@code fasttext-lingua} (the same, with Lingua's second opinion on
 * the texts lid.176 cannot settle: 0.90 instead of 0.78 over 79 languages, but ~1.5 GB more heap;
 * see {@link LinguaSecondOpinion}) or {@code optimaize} (the n-gram profiles of the first release).
 *
 * @param minConfidence below this the language is "unknown"
 * @param detector      {@code fasttext}, {@code fasttext-lingua} or {@code optimaize}
 */
public record LanguageStage(double minConfidence, String detector) implements Stage {
    /**
     * lid.176's probability below which a prompt is "unknown". 0.3, not 0.5: on 4,092 real English
     * chat prompts 0.5 left 2.5% unknown (CLD2, under the release's polyglot, leaves 1.3%), while
     * 0.3 labels 99.4% English and agrees with CLD2 on 97.8% of them against 96.8% at 0.5
     * (docs/benchmarks.md, LanguageBench).
     */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.3;
    public static final String FASTTEXT = "fasttext";
    public static final String FASTTEXT_LINGUA = "fasttext-lingua";
    public static final String OPTIMAIZE = "optimaize";

    public LanguageStage {
        detector = detector == null || detector.isBlank() ? FASTTEXT : detector;
        if (!detector.equals(FASTTEXT) && !detector.equals(FASTTEXT_LINGUA) && !detector.equals(OPTIMAIZE)) {
            throw new IllegalArgumentException("unknown language detector '" + detector + "'; known: fasttext, fasttext-lingua, optimaize");
        }
    }

    /** The default detector. */
    public LanguageStage(double minConfidence) {
        this(minConfidence, FASTTEXT);
    }

    @Override
    public String name() {
        return "language";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("detector", detector);
        m.put("minConfidence", minConfidence);
        m.put("text", "first user message");
        return m;
    }

    @Override
    public Map<String, String> tools() {
        return Map.of("language", switch (detector) {
            case FASTTEXT -> FastTextLanguageId.MODEL;
            case FASTTEXT_LINGUA -> FastTextLanguageId.MODEL_WITH_LINGUA;
            default -> LanguageDetector.library();
        });
    }

    @Override
    public StageOutcome process(Conversation c) {
        String lang = detector.equals(OPTIMAIZE) ? LanguageDetector.detect(c.firstPrompt(), minConfidence)
                : FastTextLanguageId.detect(c.firstPrompt(), minConfidence, detector.equals(FASTTEXT_LINGUA));
        return lang.equals(c.language()) ? StageOutcome.keep(c) : StageOutcome.change(c.withLanguage(lang));
    }
}
