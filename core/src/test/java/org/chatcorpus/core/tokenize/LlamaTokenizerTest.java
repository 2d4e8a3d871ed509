package org.chatcorpus.core.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llama-tokenizer-js 1.2.2's own published test cases, id for id. */
class LlamaTokenizerTest {
    static LlamaTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = LlamaTokenizer.load(SharedData.file("llama-tokenizer/llama-tokenizer.json"));
    }

    private static void encodes(String text, int... ids) {
        assertThat(tokenizer.encode(text)).as(text).containsExactly(ids);
        assertThat(tokenizer.count(text)).isEqualTo(ids.length);
    }

    @Test
    void simpleWord() {
        encodes("grabbed", 1, 2646, 1327, 287);
    }

    @Test
    void leadingSpaceStaysAToken() {
        encodes(" grabbed", 1, 29871, 2646, 1327, 287);
    }

    @Test
    void manyConsecutiveSpacesMergeInPriorityOrder() {
        encodes("           grabbed", 1, 9651, 2646, 1327, 287);
    }

    @Test
    void lineBreaksAndTabsFallBackToBytes() {
        encodes("\n", 1, 29871, 13);
        encodes(" \n", 1, 259, 13);
        encodes("\ttabs\t\t\t\tout here", 1, 29871, 12, 21175, 12, 12, 12, 12, 449, 1244);
    }

    @Test
    void equalPriorityMergesRunLeftToRight() {
        encodes("ax\n####\nboo", 1, 4853, 13, 4136, 13, 833, 29877);
    }

    @Test
    void cjkCharacterInTheVocabulary() {
        encodes("镇", 1, 29871, 30411);
    }

    @Test
    void emojiFallsBackToItsUtf8Bytes() {
        encodes("🦙", 1, 29871, 243, 162, 169, 156);
        encodes("🦙Ꙋ", 1, 29871, 243, 162, 169, 156, 237, 156, 141);
        encodes("Ꙋ🦙", 1, 29871, 237, 156, 141, 243, 162, 169, 156);
    }

    @Test
    void emptyTextIsJustBosAsHuggingFaceCountsIt() {
        assertThat(tokenizer.encode("")).containsExactly(1);
        assertThat(tokenizer.count("")).isEqualTo(1);
    }

    @Test
    void countWordByWordEqualsTheWholeTextMergeOnHostileTexts() {
        for (String t : new String[] {" ", "  ", "a", " a", "a ", "a  b", "  a  b  ", "▁", "▁a", "a▁b", "a ▁ b", "▁▁ ▁x",
                "\t\n x\n\ny", "🦙 🦙🦙  Ꙋ", "\uD800 x \uDC00", "x\uD83E", "a".repeat(100) + " " + "b".repeat(41),
                " ".repeat(40) + "grabbed", "镇 镇镇  的人", "hello, world!  hello, world!"}) {
            assertThat(tokenizer.count(t)).as("[%s]", t).isEqualTo(tokenizer.encode(t).length);
            assertThat(tokenizer.count(t)).as("[%s] again, from the word cache", t).isEqualTo(tokenizer.encode(t).length);
        }
    }

    @Test
    void countWordByWordEqualsTheWholeTextMergeOnRandomTexts() {
        long seed = 20261207L;
        java.util.Random r = new java.util.Random(seed);
        String[] parts = {" ", " ", "▁", "a", "b", "the", "ing", "\n", "\t", "🦙", "镇", "\uD800", "é", "##", "1", "."};
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(30);
            for (int k = 0; k < n; k++) {
                sb.append(parts[r.nextInt(parts.length)]);
            }
            String t = sb.toString();
            assertThat(tokenizer.count(t)).as("seed %d, text %d [%s]", seed, i, t).isEqualTo(tokenizer.encode(t).length);
        }
    }

    @Test
    void namesItself() {
        assertThat(tokenizer.name()).startsWith("llama");
        assertThat(tokenizer.vocabularySize()).isEqualTo(32000);
    }

    @Test
    void malformedVocabularyFileIsAClearError(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("tokenizer.json");
        Files.writeString(bad, "{\"model\": {\"vocab\": {\"a\": 0}, \"merges\": [\"a b\"]}}");
        assertThatThrownBy(() -> LlamaTokenizer.load(bad)).hasMessageContaining(bad.toString());
        assertThatThrownBy(() -> TokenCounters.resolve("llama=" + dir.resolve("missing.json"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> TokenCounters.resolve("bpe")).hasMessageContaining("unknown tokenizer 'bpe'");
    }

    @Test
    void cl100kIsTheOfflineFallbackAndNamesItself() throws Exception {
        TokenCounter c = TokenCounters.resolve("cl100k");
        assertThat(c.name()).contains("cl100k");
        assertThat(c.count("hello world")).isEqualTo(2);
        assertThat(c.count("")).isZero();
    }
}
