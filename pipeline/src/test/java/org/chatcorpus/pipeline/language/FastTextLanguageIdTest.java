package org.chatcorpus.pipeline.language;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.Test;

/** Accuracy of the fastText identifier on real text, per language and on English chat prompts. */
class FastTextLanguageIdTest {
    private static final double MIN_CONFIDENCE = 0.0;
    /** English and the 9 largest other languages of LMSYS-Chat-1M (its language figure). */
    static final List<String> TOP_CHAT = List.of("English", "Portuguese", "Russian", "Chinese", "Spanish", "German", "French", "Italian",
            "Japanese", "Korean");

    @Test
    void namesAreTheOnesTheDatasetWrites() {
        assertThat(FastTextLanguageId.englishName("en")).isEqualTo("English");
        assertThat(FastTextLanguageId.englishName("zh")).isEqualTo("Chinese");
        assertThat(FastTextLanguageId.englishName("pt")).isEqualTo("Portuguese");
        assertThat(FastTextLanguageId.englishName("bn")).isEqualTo("Bengali");
        // lid.176 and CLD2 both call Bokmål "no", which polyglot (ICU) and so the dataset name "Norwegian".
        assertThat(FastTextLanguageId.englishName("no")).isEqualTo("Norwegian");
        assertThat(FastTextLanguageId.englishName("nn")).isEqualTo("Norwegian Nynorsk");
        assertThat(FastTextLanguageId.detect("Hello, how are you?", 0.5)).isEqualTo("English");
        assertThat(FastTextLanguageId.detect("", 0.5)).isEqualTo("unknown");
        assertThat(FastTextLanguageId.detect("first line is English\nand so is the second one", 0.5)).isEqualTo("English");
    }

    /** The test file's name for Bokmål; the dataset writes "Norwegian" for it (see namesAreTheOnesTheDatasetWrites). */
    static String expected(String goldName) {
        return goldName.equals("Norwegian Bokmal") ? "Norwegian" : goldName;
    }

    @Test
    void theChatPriorNeverLiftsALanguageOfAnotherScript() {
        // One Sinhala word: lid.176 says Sinhala at 0.97; English's chat share once outweighed it.
        assertThat(FastTextLanguageId.detect("පිහිටීම.", 0)).isEqualTo("Sinhala");
        assertThat(FastTextLanguageId.detect("ඉතිහාසය.", 0)).isEqualTo("Sinhala");
        // …while a short Latin-script prompt still leans to the chat languages.
        assertThat(FastTextLanguageId.detect("Do you like abortion?", 0)).isEqualTo("English");
    }

    @Test
    void serboCroatianIsNamedByAMemberLanguage() throws Exception {
        String all;
        try (var in = new GZIPInputStream(Files.newInputStream(SharedData.file("langid-sentences-dev.tsv.gz")))) {
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Integer> names = new TreeMap<>();
        for (String line : all.split("\n")) {
            String[] cols = line.split("\t", 3);
            if (cols.length == 3 && (cols[0].equals("bs") || cols[0].equals("hr"))) {
                names.merge(FastTextLanguageId.detect(cols[2], 0), 1, Integer::sum);
            }
        }
        // lid.176 said "sh" for 124 of these 600 sentences; neither CLD2 nor the dataset has that name.
        assertThat(names).doesNotContainKey("Serbo-Croatian").containsKeys("Bosnian", "Croatian", "Serbian");
    }

    @Test
    void accuracyOverTheLeipzigSentencesOf79Languages() throws Exception {
        String all;
        try (var in = new GZIPInputStream(Files.newInputStream(SharedData.file("langid-sentences-dev.tsv.gz")))) {
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, int[]> per = new TreeMap<>();
        int right = 0;
        int total = 0;
        long nanos = 0;
        for (String line : all.split("\n")) {
            String[] cols = line.split("\t", 3);
            if (cols.length < 3 || cols[0].equals("iso639_1")) {
                continue;
            }
            long t = System.nanoTime();
            String got = FastTextLanguageId.detect(cols[2], MIN_CONFIDENCE);
            nanos += System.nanoTime() - t;
            int[] c = per.computeIfAbsent(cols[1], k -> new int[2]);
            c[1]++;
            total++;
            if (got.equals(expected(cols[1]))) {
                c[0]++;
                right++;
            }
        }
        int topRight = 0;
        int topTotal = 0;
        for (String l : TOP_CHAT) {
            topRight += per.get(l)[0];
            topTotal += per.get(l)[1];
        }
        System.out.printf("the 10 largest chat languages: %.4f%n", topRight / (double) topTotal);
        assertThat(topRight / (double) topTotal).as("accuracy on the 10 largest chat languages").isGreaterThanOrEqualTo(0.98);
        StringBuilder table = new StringBuilder();
        per.forEach((k, v) -> table.append(k).append('\t').append(String.format("%.3f", v[0] / (double) v[1])).append('\n'));
        System.out.println(table);
        double accuracy = right / (double) total;
        System.out.printf("fastText lid.176: accuracy %.3f over %d sentences of %d languages; %.0f sentences/s on one thread%n",
                accuracy, total, per.size(), total / (nanos / 1e9));
        // lid.176 has no Ganda, Maori, Oromo, Shona, Sotho, Tigrinya, Tswana, Tsonga, Xhosa or Zulu: 10 of the 79
        // (its ceiling here is 0.873); measured 0.783. With Lingua's second opinion: LinguaSecondOpinionTest.
        assertThat(accuracy).isGreaterThan(0.775);
    }

    /** First prompts of MT-bench, HH-RLHF harmless-base test and the ShareGPT sample: 2,892 English chat prompts. */
    static List<String> englishChatPrompts() throws Exception {
        List<String> prompts = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = Files.newBufferedReader(SharedData.file("mt-bench-questions.jsonl"))) {
            for (String l; (l = r.readLine()) != null; ) {
                prompts.add(json.readTree(l).path("turns").get(0).asText());
            }
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz"))), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                String chosen = json.readTree(l).path("chosen").asText();
                int h = chosen.indexOf("Human: ");
                int a = chosen.indexOf("\n\nAssistant:");
                if (h >= 0 && a > h) {
                    prompts.add(chosen.substring(h + 7, a));
                }
            }
        }
        for (JsonNode c : json.readTree(SharedData.file("fastchat-dummy-conversation.json").toFile())) {
            prompts.add(c.path("conversations").get(0).path("value").asText());
        }
        return prompts;
    }

    @Test
    void englishChatPromptsAreEnglish() throws Exception {
        List<String> prompts = englishChatPrompts();
        int english = 0;
        for (String p : prompts) {
            if (FastTextLanguageId.detect(p, LanguageStage.DEFAULT_MIN_CONFIDENCE).equals("English")) { // what curate and stats use
                english++;
            }
        }
        double share = english / (double) prompts.size();
        System.out.printf("English chat prompts labelled English: %d of %d (%.4f)%n", english, prompts.size(), share);
        assertThat(share).isGreaterThanOrEqualTo(0.99);
    }
}
