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

    private LanguagePrior() {
    }

    static double weight(String iso) {
        return Math.max(FLOOR, SHARES.getOrDefault(iso, FLOOR));
    }
}
