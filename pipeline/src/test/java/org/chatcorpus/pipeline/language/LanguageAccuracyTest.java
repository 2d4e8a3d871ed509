package org.chatcorpus.pipeline.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Accuracy per language on 23,700 real sentences of 79 languages (Leipzig corpora, as packaged by
 * lingua's accuracy reports). Prints the per-language table (copied to docs/benchmarks.md).
 */
class LanguageAccuracyTest {
    @Test
    void detectsTheLanguageOfRealSentences() throws Exception {
        String all;
        try (var in = new GZIPInputStream(Files.newInputStream(SharedData.file("langid-sentences-dev.tsv.gz")))) {
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, int[]> perLanguage = new TreeMap<>();
        int right = 0;
        int total = 0;
        int supportedRight = 0;
        int supportedTotal = 0;
        String[] lines = all.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] cols = lines[i].split("\t", 3);
            if (cols.length < 3) {
                continue;
            }
            String expected = cols[1];
            String got = LanguageDetector.detect(cols[2], LanguageStage.DEFAULT_MIN_CONFIDENCE);
            int[] c = perLanguage.computeIfAbsent(expected, k -> new int[2]);
            c[1]++;
            total++;
            if (got.equals(expected)) {
                c[0]++;
                right++;
            }
        }
        StringBuilder table = new StringBuilder("| language | accuracy |\n|---|---|\n");
        for (var e : perLanguage.entrySet()) {
            double acc = (double) e.getValue()[0] / e.getValue()[1];
            table.append("| ").append(e.getKey()).append(" | ").append(String.format("%.3f", acc)).append(" |\n");
            if (acc > 0) {
                supportedRight += e.getValue()[0];
                supportedTotal += e.getValue()[1];
            }
        }
        double overall = (double) right / total;
        double supported = (double) supportedRight / supportedTotal;
        System.out.println(table);
        System.out.printf("overall %.3f over %d sentences of %d languages; %.3f over the languages the detector knows%n",
                overall, total, perLanguage.size(), supported);
        assertThat(perLanguage).hasSize(79);
        assertThat(overall).isGreaterThan(0.67); // measured 0.682: 23 of the 79 languages have no Optimaize profile
        assertThat(supported).isGreaterThan(0.85);
        assertThat((double) perLanguage.get("English")[0] / perLanguage.get("English")[1]).isGreaterThan(0.9);
    }

    @Test
    void emptyOrSymbolOnlyTextIsUnknown() {
        assertThat(LanguageDetector.detect("", 0.5)).isEqualTo("unknown");
        assertThat(LanguageDetector.detect("   ", 0.5)).isEqualTo("unknown");
        assertThat(LanguageDetector.detect("12345 !!! ???", 0.5)).isEqualTo("unknown");
    }

    @Test
    void namesLanguagesAsTheDatasetDoes() {
        assertThat(LanguageDetector.englishName("pt")).isEqualTo("Portuguese");
        assertThat(LanguageDetector.englishName("zh")).isEqualTo("Chinese");
        assertThat(LanguageDetector.englishName("bn")).isEqualTo("Bengali"); // the JDK says "Bangla"
        assertThat(LanguageDetector.detect("Bonjour, je voudrais savoir comment écrire une lettre de motivation.", 0.5)).isEqualTo("French");
    }

    /**
     * Chat prompts are short. Optimaize alone calls many short English red-team prompts Haitian
     * Creole; without that profile and with the chat-language prior, nearly all come out English.
     */
    @Test
    void shortEnglishChatPromptsAreEnglish() throws Exception {
        Map<String, Integer> others = new TreeMap<>();
        int english = 0;
        int total = 0;
        for (Conversation c : new DatasetReader(List.of(SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz").toString()), null)
                .readAll(Quarantine.counting())) {
            String got = LanguageDetector.detect(c.firstPrompt(), LanguageStage.DEFAULT_MIN_CONFIDENCE);
            total++;
            if (got.equals("English")) {
                english++;
            } else {
                others.merge(got, 1, Integer::sum);
            }
        }
        System.out.printf("HH-RLHF first prompts detected English: %.3f of %d; others %s%n", english / (double) total, total, others);
        assertThat(total).isGreaterThan(2000);
        assertThat(english / (double) total).isGreaterThan(0.97); // measured 0.981
        assertThat(others).doesNotContainKey("Haitian Creole");
    }

    /** The English shortcut must not claim sentences of other languages, and should cover most English ones. */
    @Test
    void englishShortcutNeverClaimsOtherLanguages() throws Exception {
        String all;
        try (var in = new GZIPInputStream(Files.newInputStream(SharedData.file("langid-sentences-dev.tsv.gz")))) {
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Integer> wronglyClaimed = new TreeMap<>();
        int english = 0;
        int englishClaimed = 0;
        String[] lines = all.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] cols = lines[i].split("\t", 3);
            if (cols.length < 3) {
                continue;
            }
            boolean claimed = EnglishShortcut.isPlainlyEnglish(cols[2]);
            if (cols[1].equals("English")) {
                english++;
                englishClaimed += claimed ? 1 : 0;
            } else if (claimed) {
                wronglyClaimed.merge(cols[1], 1, Integer::sum);
            }
        }
        System.out.printf("English shortcut: covers %d of %d English sentences; claims of other languages: %s%n", englishClaimed, english,
                wronglyClaimed);
        // Two sentences of the Malay and Yoruba corpora are English text (a song title, a book title).
        assertThat(wronglyClaimed.values().stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(2);
        assertThat(englishClaimed).isGreaterThan(english / 3);
    }
}
