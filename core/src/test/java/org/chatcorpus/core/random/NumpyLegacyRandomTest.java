package org.chatcorpus.core.random;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Expectations printed by NumPy 2.4 (see make_fixtures.py beside expected.jsonl). */
class NumpyLegacyRandomTest {
    @Test
    void permutationMatchesRandomState42() throws Exception {
        for (JsonNode f : PythonFixtures.of("numpy_permutation")) {
            int n = f.get("n").asInt();
            int[] perm = new NumpyLegacyRandom(f.get("seed").asInt()).permutation(n);
            int[] head = PythonFixtures.ints(f.get("head"));
            assertThat(Arrays.copyOf(perm, head.length)).as("n %d", n).isEqualTo(head);
            assertThat(PythonFixtures.digest(perm)).as("n %d", n).isEqualTo(f.get("sha256").asText());
        }
    }
}
