package org.chatcorpus.pipeline.language;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The second stage of the {@code fasttext-lingua} detector: Lingua 1.2.2 (high-accuracy mode, its
 * 50 Latin-script languages) is asked only about the texts fastText's lid.176 cannot settle, and
 * its answer is taken only where lid.176 has no good answer to give.
 *
 * <p>Why: lid.176 has no label for Ganda, Maori, Shona, Sotho, Tsonga, Tswana, Xhosa or Zulu
 * (they come out as English, Waray, Finnish… at low probability), it names Somali and Yoruba
 * text of the Leipzig corpora right only 10 % and 4 % of the time, and it splits Bosnian and
 * Croatian between four labels (bs, hr, sr and the macrolanguage sh that no dataset writes).
 * Measured on the 23,700 sentences of 79 languages of langid-sentences-dev (LanguageAccuracyTest).
 *
 * <p>When: the text's lid.176 probability (after the chat prior) is below {@link #ASK_BELOW}, or
 * lid.176 says Bosnian, Croatian, Serbo-Croatian or (in Latin letters) Serbian. About a fifth
 * of the Leipzig sentences and 2 % of English chat prompts reach this stage.
 *
 * <p>What is kept: Lingua's answer replaces lid.176's only when it is one of {@link #LINGUA_NAMES}
 * (the ten languages above) or, for a Bosnian/Croatian/Serbian text, another member of that group.
 * Anything else Lingua says is ignored, so a language lid.176 knows is never renamed by a detector
 * that knows fewer languages. Texts of fewer than {@link #MIN_LETTERS} letters are not asked: Lingua
 * called "Are you ChatGPT?" (13 letters, 8 times among the HH-RLHF prompts) Tswana; at 20 letters
 * the English chat prompts come out exactly as without Lingua (0.9955) and the 79-language
 * accuracy is 0.9018 instead of 0.9025.
 *
 * <p>Caveat: Lingua's models were built from the Leipzig corpora, the same source (not the same
 * sentences) as the accuracy test, so its share of the test figure may be kinder than on chat text.
 * Its models (about 1.5 GB of heap) load on first use, once per JVM.
 */
final class LinguaSecondOpinion {
    /** lid.176 probabilities below this get a second opinion. */
    static final double ASK_BELOW = 0.5;
    static final int MIN_LETTERS = 20;

    /** The languages whose names only Lingua's answer can give. */
    private static final Set<Language> LINGUA_NAMES = EnumSet.of(Language.GANDA, Language.MAORI, Language.SHONA, Language.SOTHO,
            Language.TSONGA, Language.TSWANA, Language.XHOSA, Language.ZULU, Language.SOMALI, Language.YORUBA);
    private static final Set<Language> BOSNIAN_CROATIAN_SERBIAN = EnumSet.of(Language.BOSNIAN, Language.CROATIAN, Language.SERBIAN);
    private static final Set<String> BCS_LABELS = Set.of("bs", "hr", "sh", "sr");

    private static final class Holder {
        static final LanguageDetector LINGUA = LanguageDetectorBuilder.fromAllLanguagesWithLatinScript()
                .withPreloadedLanguageModels().build(); // preloaded: Lingua 1.2's lazy loading fills shared maps unguarded
    }

    private LinguaSecondOpinion() {
    }

    /** Whether lid.176's answer {@code iso} at {@code probability} for {@code text} should be put to Lingua. */
    static boolean wanted(String text, String iso, double probability) {
        if (iso.isEmpty() || LanguagePrior.dominantScript(text) != Character.UnicodeScript.LATIN || letters(text) < MIN_LETTERS) {
            return false;
        }
        return probability < ASK_BELOW || BCS_LABELS.contains(iso);
    }

    /** Lingua's name for the text when it replaces lid.176's answer {@code iso}, else null. */
    static String answer(String text, String iso) {
        Language l = Holder.LINGUA.detectLanguageOf(text);
        if (LINGUA_NAMES.contains(l) || (BCS_LABELS.contains(iso) && BOSNIAN_CROATIAN_SERBIAN.contains(l))) {
            return datasetName(l);
        }
        return null;
    }

    /** "TSWANA" → "Tswana", as the dataset and CLD2's English names write it. */
    static String datasetName(Language l) {
        String n = l.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private static int letters(String s) {
        int n = 0;
        for (int i = 0; i < s.length() && n < MIN_LETTERS; i++) {
            if (Character.isLetter(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }
}
