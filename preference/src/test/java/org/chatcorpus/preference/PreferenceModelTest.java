package org.chatcorpus.preference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.io.BattleReaders;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The predictor on real human preferences (Anthropic HH pairs from ../shared/data). */
class PreferenceModelTest {
    private static List<Battle> hh;

    @BeforeAll
    static void readHh() throws Exception {
        hh = new ArrayList<>();
        BattleReaders.byName("hh-pairs", 0).read(SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz"), hh::add, Quarantine.counting());
    }

    private static PreferenceTrainer trainer(PreferenceFeatures.Kind kind) {
        return new PreferenceTrainer(new PreferenceTrainer.Options(kind, "none", 0.0005, 1));
    }

    @Test
    void predictionsAreSymmetricUnderSwappingTheSides() {
        PreferenceModel m = trainer(PreferenceFeatures.Kind.ALL).train(hh.subList(0, 800), null);
        List<Battle> test = hh.subList(800, 900);
        double[][] p = m.predict(test, null);
        double[][] q = m.predict(test.stream().map(Battle::swapped).toList(), null);
        for (int i = 0; i < test.size(); i++) {
            assertThat(p[i][0]).isCloseTo(q[i][1], within(1e-12));
            assertThat(p[i][1]).isCloseTo(q[i][0], within(1e-12));
            assertThat(p[i][0] + p[i][1] + p[i][2]).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void crossValidatedLogLossBeatsTheClassPrior() {
        PreferenceTrainer.Scores cv = trainer(PreferenceFeatures.Kind.ALL).crossValidate(hh, null, 5);
        assertThat(cv.battles()).isEqualTo(2312);
        assertThat(cv.prior()).isCloseTo(Math.log(2), within(0.01)); // HH has no ties; the coin balances A and B
        assertThat(cv.model()).isLessThan(cv.prior());
    }

    @Test
    void aSavedModelPredictsTheSameAfterLoading(@TempDir Path dir) throws Exception {
        PreferenceModel m = trainer(PreferenceFeatures.Kind.ALL).train(hh.subList(0, 500), null);
        Path f = dir.resolve("pref.model");
        m.save(f);
        PreferenceModel again = PreferenceModel.load(f);
        assertThat(again.predict(hh.subList(500, 540), null)).isDeepEqualTo(m.predict(hh.subList(500, 540), null));
        Files.writeString(dir.resolve("not-a-model"), "hello");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PreferenceModel.load(dir.resolve("not-a-model")))
                .hasMessageContaining("not a preference model");
    }

    @Test
    void submissionHasTheExactHeaderOneRowPerInputAndRowsSummingToOne(@TempDir Path dir) throws Exception {
        PreferenceModel m = trainer(PreferenceFeatures.Kind.LENGTH).train(hh.subList(0, 300), null);
        List<Battle> test = hh.subList(300, 360);
        Path out = dir.resolve("submission.csv");
        Submission.write(test, m.predict(test, null), out);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("id,winner_model_a,winner_model_b,winner_tie");
        assertThat(lines).hasSize(61);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(f).hasSize(4);
            BigDecimal sum = new BigDecimal(f[1]).add(new BigDecimal(f[2])).add(new BigDecimal(f[3]));
            assertThat(sum).isEqualByComparingTo(BigDecimal.ONE);
            assertThat(new BigDecimal(f[3]).signum()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void miniLmEmbeddingsGiveFeaturesAndAModel() {
        List<Battle> small = hh.subList(0, 40);
        float[][][] emb = BattleEmbeddings.of(small, "minilm-q");
        assertThat(emb[0][1]).hasSize(384);
        PreferenceModel m = new PreferenceTrainer(new PreferenceTrainer.Options(PreferenceFeatures.Kind.ALL, "minilm-q", 0.02, 1)).train(small, emb);
        assertThat(m.embedder()).isEqualTo("minilm-q");
        double[][] p = m.predict(small.subList(0, 5));
        assertThat(p).hasNumberOfRows(5);
        assertThat(p[0][0] + p[0][1] + p[0][2]).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void featuresSeeLengthsMarkdownAndRefusals() {
        Battle b = new Battle("x", "m1", "m2", org.chatcorpus.battles.Winner.MODEL_A, "", List.of(
                org.chatcorpus.battles.BattleMessage.user("List three fruits"),
                org.chatcorpus.battles.BattleMessage.assistant("# Fruits\n- apple\n- pear\n- fig\n```\ncode\n```\n**bold**")),
                List.of(org.chatcorpus.battles.BattleMessage.user("List three fruits"),
                        org.chatcorpus.battles.BattleMessage.assistant("I'm sorry, I cannot help with fruits.")),
                1, true, "", Double.NaN, java.util.Map.of());
        List<String> names = PreferenceFeatures.names(PreferenceFeatures.Kind.ALL, 0);
        double[] v = PreferenceFeatures.values(b, PreferenceFeatures.Kind.ALL, null);
        assertThat(v).hasSameSizeAs(names.toArray());
        assertThat(v[names.indexOf("a_list_items")]).isEqualTo(Math.log1p(3));
        assertThat(v[names.indexOf("a_headers")]).isEqualTo(Math.log1p(1));
        assertThat(v[names.indexOf("a_code_blocks")]).isEqualTo(Math.log1p(1));
        assertThat(v[names.indexOf("b_refusal")]).isEqualTo(1.0);
        assertThat(v[names.indexOf("a_refusal")]).isEqualTo(0.0);
        assertThat(v[names.indexOf("b_prompt_overlap")]).isGreaterThan(0);
    }
}
