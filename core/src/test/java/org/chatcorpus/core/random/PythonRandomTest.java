package org.chatcorpus.core.random;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every expectation here was printed by CPython 3.11 (see make_fixtures.py beside expected.jsonl). */
class PythonRandomTest {
    @Test
    void getrandbitsMatchesCPythonForOneAndTwoWordWidths() throws Exception {
        for (JsonNode f : PythonFixtures.of("getrandbits")) {
            PythonRandom r = new PythonRandom(new BigInteger(f.get("seed").asText()));
            for (int i = 0; i < f.get("k").size(); i++) {
                assertThat(Long.toUnsignedString(r.getrandbits(f.get("k").get(i).asInt())))
                        .as("seed %s, getrandbits(%s)", f.get("seed").asText(), f.get("k").get(i))
                        .isEqualTo(f.get("values").get(i).asText());
            }
        }
    }

    @Test
    void randbelowMatchesCPythonIncludingBoundsThatNeedRejection() throws Exception {
        for (JsonNode f : PythonFixtures.of("randbelow")) {
            PythonRandom r = new PythonRandom(new BigInteger(f.get("seed").asText()));
            for (int i = 0; i < f.get("n").size(); i++) {
                assertThat(r.randbelow(f.get("n").get(i).asLong()))
                        .as("seed %s, _randbelow(%s)", f.get("seed").asText(), f.get("n").get(i))
                        .isEqualTo(f.get("values").get(i).asLong());
            }
        }
    }

    @Test
    void seedsAreTheAbsoluteValueSplitInto32BitWords() throws Exception {
        // -42 seeds as 42 in CPython; 2**32 and 2**40+5 need two key words.
        int[] a = PythonRandom.shuffledIndices(42, 1000);
        PythonRandom negative = new PythonRandom(-42);
        int[] b = new int[1000];
        Arrays.setAll(b, i -> i);
        negative.shuffle(b);
        assertThat(b).isEqualTo(a);
        assertThat(PythonFixtures.of("shuffle").stream().anyMatch(f -> f.get("seed").asText().equals("12345678901234567890"))).isTrue();
    }

    @Test
    void shuffleTakesTheSamePermutationAsCPythonForEverySeedAndSize() throws Exception {
        for (JsonNode f : PythonFixtures.of("shuffle")) {
            int n = f.get("n").asInt();
            int[] order = new int[n];
            Arrays.setAll(order, i -> i);
            new PythonRandom(new BigInteger(f.get("seed").asText())).shuffle(order);
            int[] head = PythonFixtures.ints(f.get("head"));
            assertThat(Arrays.copyOf(order, head.length)).as("seed %s n %d", f.get("seed").asText(), n).isEqualTo(head);
            assertThat(PythonFixtures.digest(order)).as("seed %s n %d", f.get("seed").asText(), n).isEqualTo(f.get("sha256").asText());
        }
    }

    @Test
    void listShuffleAgreesWithArrayShuffle() {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            list.add(i);
        }
        new PythonRandom(42).shuffle(list);
        assertThat(list.stream().mapToInt(Integer::intValue).toArray()).isEqualTo(PythonRandom.shuffledIndices(42, 500));
    }
}
