package org.chatcorpus.pipeline.language;

import java.util.Map;

/**
 * How common each language is among real chat prompts: approximate shares of the languages of
 * LMSYS-Chat-1M (its language figure: English about three quarters, then Portuguese, Russian,
 * Chinese, Spanish, German, French…). Languages not listed get a small floor, so they are still
 * chosen whenever the text itself says so clearly.
 */
final class LanguagePrior {
    private static final double FLOOR = 0.002;

    private static final Map<String, Double> SHARES = Map.ofEntries(
            Map.entry("en", 0.78), Map.entry("pt", 0.028), Map.entry("ru", 0.025), Map.entry("zh", 0.022),
            Map.entry("es", 0.020), Map.entry("de", 0.015), Map.entry("fr", 0.014), Map.entry("it", 0.008),
            Map.entry("ja", 0.007), Map.entry("ko", 0.005), Map.entry("pl", 0.004), Map.entry("ar", 0.004),
            Map.entry("id", 0.003), Map.entry("vi", 0.003), Map.entry("nl", 0.003), Map.entry("tr", 0.003),
            Map.entry("uk", 0.003), Map.entry("fa", 0.002), Map.entry("sv", 0.002), Map.entry("cs", 0.002));

    /** The script each listed language is written in; a prior never lifts a language across scripts. */
    private static final Map<String, Character.UnicodeScript> SCRIPTS = Map.ofEntries(
            Map.entry("ru", Character.UnicodeScript.CYRILLIC), Map.entry("uk", Character.UnicodeScript.CYRILLIC),
            Map.entry("zh", Character.UnicodeScript.HAN), Map.entry("ja", Character.UnicodeScript.HAN),
            Map.entry("ko", Character.UnicodeScript.HANGUL), Map.entry("ar", Character.UnicodeScript.ARABIC),
            Map.entry("fa", Character.UnicodeScript.ARABIC));

    private LanguagePrior() {
    }

    static double weight(String iso) {
        return Math.max(FLOOR, SHARES.getOrDefault(iso, FLOOR));
    }

    /**
     * The weight of {@code iso} for a text mostly written in {@code script}: its chat share when it
     * is written in that script, the floor otherwise. Without this a one-word Sinhala text that
     * fastText calls Sinhala at 0.97 came out English (English's share outweighed it 390 to 1).
     */
    static double weight(String iso, Character.UnicodeScript script) {
        return SCRIPTS.getOrDefault(iso, Character.UnicodeScript.LATIN) == script ? weight(iso) : FLOOR;
    }

    /** The script of most of the text's letters (Han, Hiragana and Katakana count as Han), or COMMON when it has none. */
    static Character.UnicodeScript dominantScript(String text) {
        int latin = 0;
        int others = 0;
        Character.UnicodeScript other = Character.UnicodeScript.COMMON;
        Map<Character.UnicodeScript, Integer> counts = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                continue;
            }
            if (cp < 0x250) {
                latin++;
                continue;
            }
            Character.UnicodeScript s = Character.UnicodeScript.of(cp);
            if (s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA) {
                s = Character.UnicodeScript.HAN;
            }
            if (s == Character.UnicodeScript.LATIN) {
                latin++;
                continue;
            }
            if (counts == null) {
                counts = new java.util.EnumMap<>(Character.UnicodeScript.class);
            }
            int c = counts.merge(s, 1, Integer::sum);
            if (c > others) {
                others = c;
                other = s;
            }
        }
        if (latin == 0 && others == 0) {
            return Character.UnicodeScript.COMMON;
        }
        return latin >= others ? Character.UnicodeScript.LATIN : other;
    }
}
