package org.chatcorpus.pipeline.language;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Offline language identification with Optimaize language-detector (n-gram profiles of 71
 * languages shipped in its jar), answering with the English language name LMSYS-Chat-1M uses
 * ("English", "Portuguese", "Chinese", …) or "unknown" when the best guess is below the
 * confidence threshold. The detector is built once per JVM and is read-only afterwards.
 */
public final class LanguageDetector {
    public static final String UNKNOWN = "unknown";

    private static final class Holder {
        static final com.optimaize.langdetect.LanguageDetector DETECTOR = build();
        static final TextObjectFactory TEXT = CommonTextObjectFactories.forDetectingOnLargeText();

        private static com.optimaize.langdetect.LanguageDetector build() {
            try {
                return LanguageDetectorBuilder.create(NgramExtractors.standard())
                        .withProfiles(new LanguageProfileReader().readAllBuiltIn()).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the language profiles from the language-detector jar", e);
            }
        }
    }

    private LanguageDetector() {
    }

    /** The English name of the text's language, or "unknown". */
    public static String detect(String text, double minConfidence) {
        if (text == null || text.isBlank()) {
            return UNKNOWN;
        }
        // Long texts do not get more certain after a few thousand characters; cap the work.
        String sample = text.length() > 4000 ? text.substring(0, 4000) : text;
        List<DetectedLanguage> probs = Holder.DETECTOR.getProbabilities(Holder.TEXT.forText(sample));
        if (probs.isEmpty() || probs.get(0).getProbability() < minConfidence) {
            return UNKNOWN;
        }
        return englishName(probs.get(0).getLocale().getLanguage());
    }

    /** "pt" -> "Portuguese", "zh" -> "Chinese"; the JDK's English names, as the dataset writes them. */
    static String englishName(String iso) {
        String name = Locale.forLanguageTag(iso).getDisplayLanguage(Locale.ENGLISH);
        return name.isEmpty() ? UNKNOWN : name;
    }

    public static String library() {
        return "optimaize language-detector 0.6 (71 built-in language profiles)";
    }
}
