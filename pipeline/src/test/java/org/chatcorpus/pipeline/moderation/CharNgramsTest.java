package org.chatcorpus.pipeline.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CharNgramsTest {

    @Test
    void wordsAreLowerCasedAndJoinedByOneSpaceWithPunctuationDropped() {
        assertThat(new String(CharNgrams.normalise("Kill  YOU!"))).isEqualTo(" kill you ");
        assertThat(new String(CharNgrams.normalise("don't, Ünïcode 42"))).isEqualTo(" don't ünïcode 42 ");
        assertThat(new String(CharNgrams.normalise("?!"))).isEqualTo(" ");
    }

    @Test
    void theSameWordsGiveTheSameVectorWhateverTheirCaseAndSpacing() {
        CharNgrams.Sparse a = CharNgrams.termFrequencies("Kill  YOU!");
        CharNgrams.Sparse b = CharNgrams.termFrequencies("kill you");
        assertThat(a.index()).isEqualTo(b.index());
        assertThat(a.value()).isEqualTo(b.value());
    }

    @Test
    void countsAreSublinearAndIndexesSortedAndDistinct() {
        // " aaaa " holds 3-grams " aa", "aaa" (twice), "aa "; 4-grams " aaa", "aaaa", "aaa "; 5-grams " aaaa", "aaaa ".
        CharNgrams.Sparse s = CharNgrams.termFrequencies("aaaa");
        assertThat(s.index()).hasSize(8).isSorted(); // 3 + 3 + 2 distinct grams
        long twice = 0;
        for (float v : s.value()) {
            twice += Math.abs(v - (1 + Math.log(2))) < 1e-6 ? 1 : 0;
        }
        assertThat(twice).isEqualTo(1);
        assertThat(CharNgrams.termFrequencies("").index()).isEmpty();
        assertThat(CharNgrams.termFrequencies("!!!").index()).isEmpty();
    }

    @Test
    void idfWeighsRareGramsMoreAndGivesUnitVectors() {
        CharNgrams.Sparse[] tf = {
                CharNgrams.termFrequencies("the cat"), CharNgrams.termFrequencies("the dog"), CharNgrams.termFrequencies("the poison")};
        CharNgrams.Idf idf = CharNgrams.Idf.of(tf, List.of(0, 1, 2));
        CharNgrams.Sparse w = idf.weigh(tf[2]);
        double norm = 0;
        for (float v : w.value()) {
            norm += v * v;
        }
        assertThat(norm).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-5));
        float the = weightOf(w, CharNgrams.termFrequencies("the").index()[0]);
        float poi = weightOf(w, CharNgrams.termFrequencies("poison").index()[0]);
        assertThat(poi).isGreaterThan(the);
    }

    private static float weightOf(CharNgrams.Sparse s, int bucket) {
        int k = java.util.Arrays.binarySearch(s.index(), bucket);
        return k >= 0 ? s.value()[k] : 0;
    }
}
