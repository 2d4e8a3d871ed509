package org.chatcorpus.pipeline.moderation;

import java.util.ArrayList;
import java.util.List;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;

/**
 * Trains {@link FlaggedSvm} with LIBSVM (C-SVC on a precomputed kernel, positives weighted as the
 * logistic fits weigh them) and chooses its settings and its threshold on the training rows
 * alone: each setting of {@link #GAMMAS} x {@link #NGRAM_WEIGHTS} x {@link #CS} is scored out of fold over
 * {@link EmbeddingModerationTrainer#FOLDS} folds of the rows it is given, the setting with the best
 * flagged F1 at its own best-F{@value EmbeddingModerationTrainer#FLAGGED_BETA} threshold wins, and
 * that threshold is kept. A cross-validation that calls this per outer fold therefore measures the
 * whole recipe, settings included, on texts it never saw. The grids were set from a first look
 * at the same samples (docs/benchmarks.md says which figures that makes optimistic).
 */
final class FlaggedSvmTrainer {
    static final float[] GAMMAS = {3, 5};
    static final float[] NGRAM_WEIGHTS = {0.5f, 1};
    static final double[] CS = {1, 3};
    /**
     * Labeled rows the machine trains on at most: its kernel matrix grows with the square of the
     * rows (3,000 rows: 9 million entries, about 300 MB in LIBSVM's node objects), and a release's
     * own tags can hold millions; {@link EmbeddingModerationTrainer#sample} keeps training within it.
     */
    static final int MAX_ROWS = 3000;

    static {
        svm.svm_set_print_string_function(s -> { }); // LIBSVM prints its optimiser's progress to stdout
    }

    private FlaggedSvmTrainer() {
    }

    /**
     * @param outOfFold  per training row (in the order of {@link NgramGram#rows}), its score from the
     *                   chosen setting's inner fold that held it out
     */
    record Trained(FlaggedSvm svm, float threshold, double[] outOfFold) {
    }

    /**
     * The n-gram part of the kernel over the training rows: IDF learned from them, their TF-IDF
     * vectors and those vectors' dot products. The screen and the judge train on the same rows and
     * share it; so do the inner folds and every setting.
     */
    static final class NgramGram {
        final List<Integer> rows;
        final CharNgrams.Idf idf;
        final CharNgrams.Sparse[] weighted; // by position in rows
        final float[][] dot;                 // by positions in rows

        NgramGram(CharNgrams.Sparse[] tf, List<Integer> rows) {
            this.rows = rows;
            this.idf = CharNgrams.Idf.of(tf, rows);
            this.weighted = new CharNgrams.Sparse[rows.size()];
            for (int a = 0; a < weighted.length; a++) {
                weighted[a] = idf.weigh(tf[rows.get(a)]);
            }
            this.dot = gram(weighted);
        }
    }

    /**
     * The sentence part of the kernel for every text once: unit vectors and their dot products
     * (shared by every fold and setting).
     */
    static final class SentenceGram {
        final int dims;
        final float[][] unit;
        final float[][] dot;

        SentenceGram(float[][] vectors, int dims) {
            this.dims = dims;
            this.unit = new float[vectors.length][];
            for (int i = 0; i < vectors.length; i++) {
                unit[i] = FlaggedSvm.unit(vectors[i], dims);
            }
            this.dot = new float[vectors.length][vectors.length];
            float[] row = new float[dims];
            for (int i = 0; i < vectors.length; i++) {
                System.arraycopy(unit[i], 0, row, 0, dims);
                for (int j = 0; j <= i; j++) {
                    float d = FlaggedSvm.dot(row, unit[j], 0, dims);
                    dot[i][j] = d;
                    dot[j][i] = d;
                }
            }
        }
    }

    /**
     * The cascade for these rows ({@code y[i]} 1 or 0): the screen on {@code screenSentences}, and
     * with {@code judgeSentences} (null for none) the judge, its escalation level and its threshold.
     */
    static FlaggedCascade cascade(SentenceGram screenSentences, SentenceGram judgeSentences, CharNgrams.Sparse[] tf, byte[] y,
                                  List<Integer> rows, double positiveWeight, long seed) {
        NgramGram ngrams = new NgramGram(tf, rows);
        Trained screen = train(screenSentences, ngrams, y, positiveWeight, seed);
        if (judgeSentences == null) {
            return new FlaggedCascade(screen.svm(), screen.threshold(), null, 0, 0);
        }
        Trained judge = train(judgeSentences, ngrams, y, positiveWeight, seed);
        byte[] gold = new byte[rows.size()];
        for (int a = 0; a < gold.length; a++) {
            gold[a] = y[rows.get(a)];
        }
        double[] toxic = java.util.stream.IntStream.range(0, gold.length).filter(a -> gold[a] == 1)
                .mapToDouble(a -> screen.outOfFold()[a]).sorted().toArray();
        // Whatever the screen alone would flag is escalated too: on an easy split every toxic training
        // message sits at the margin, and the recall level alone would then clear a new one just under it.
        float escalateAt = Math.min(screen.threshold(),
                (float) toxic[(int) Math.floor((1 - FlaggedCascade.ESCALATED_RECALL) * toxic.length)]);
        List<Integer> escalated = new ArrayList<>();
        for (int a = 0; a < gold.length; a++) {
            if (screen.outOfFold()[a] >= escalateAt) {
                escalated.add(a);
            }
        }
        // The judge's threshold is chosen on what it will see: the messages the screen escalates.
        float judgeThreshold = Thresholds.bestF(judge.outOfFold(), gold, escalated, EmbeddingModerationTrainer.FLAGGED_BETA, true);
        return new FlaggedCascade(screen.svm(), screen.threshold(), judge.svm(), escalateAt, judgeThreshold);
    }

    /** Trains on the n-gram part's rows and picks settings and threshold by inner folds over them. */
    static Trained train(SentenceGram sentences, NgramGram ngrams, byte[] y, double positiveWeight, long seed) {
        List<Integer> rows = ngrams.rows;
        float[][] ngramGram = ngrams.dot;
        int m = rows.size();
        byte[] local = new byte[m];
        for (int a = 0; a < m; a++) {
            local[a] = y[rows.get(a)];
        }
        List<Integer> positions = new ArrayList<>(m);
        for (int a = 0; a < m; a++) {
            positions.add(a);
        }
        List<Integer>[][] folds = EmbeddingModerationTrainer.folds(positions, seed);
        double bestF1 = -1;
        Setting best = null;
        float bestThreshold = 0.5f;
        double[] bestOof = null;
        for (Setting setting : settings()) {
            double[] oof = new double[m];
            for (List<Integer>[] fold : folds) {
                Fit f = fit(sentences, rows, ngramGram, local, fold[0], setting, positiveWeight);
                for (int a : fold[1]) {
                    oof[a] = 1 / (1 + Math.exp(-f.decision(sentences, rows, ngramGram, a, setting)));
                }
            }
            float t = Thresholds.bestF(oof, local, positions, EmbeddingModerationTrainer.FLAGGED_BETA, true);
            double f1 = Thresholds.f(oof, local, positions, t, 1);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = setting;
                bestThreshold = t;
                bestOof = oof;
            }
        }
        Fit f = fit(sentences, rows, ngramGram, local, positions, best, positiveWeight);
        return new Trained(f.toSvm(sentences, rows, ngrams.weighted, ngrams.idf, best), bestThreshold, bestOof);
    }

    /** One point of the grid: the RBF kernel's width, the n-gram kernel's weight, LIBSVM's C. */
    record Setting(float gamma, float ngramWeight, double c) {
        double kernel(float sentenceDot, float ngramDot) {
            return Math.exp(gamma * (sentenceDot - 1)) + ngramWeight * ngramDot;
        }
    }

    static List<Setting> settings() {
        List<Setting> out = new ArrayList<>();
        for (double c : CS) {
            for (float gamma : GAMMAS) {
                for (float weight : NGRAM_WEIGHTS) {
                    out.add(new Setting(gamma, weight, c));
                }
            }
        }
        return out;
    }

    /** A LIBSVM solution: support vectors as positions among the training rows, their coefficients, the bias. */
    private record Fit(int[] support, double[] coef, double bias) {
        double decision(SentenceGram s, List<Integer> rows, float[][] ngramGram, int a, Setting setting) {
            double z = bias;
            for (int k = 0; k < support.length; k++) {
                int b = support[k];
                z += coef[k] * setting.kernel(s.dot[rows.get(a)][rows.get(b)], ngramGram[a][b]);
            }
            return z;
        }

        FlaggedSvm toSvm(SentenceGram s, List<Integer> rows, CharNgrams.Sparse[] weighted, CharNgrams.Idf idf, Setting setting) {
            float[] supportRows = new float[support.length * s.dims];
            float[] c = new float[support.length];
            float[] ngram = new float[CharNgrams.BUCKETS];
            for (int k = 0; k < support.length; k++) {
                System.arraycopy(s.unit[rows.get(support[k])], 0, supportRows, k * s.dims, s.dims);
                c[k] = (float) coef[k];
                CharNgrams.Sparse v = weighted[support[k]];
                for (int j = 0; j < v.index().length; j++) {
                    ngram[v.index()[j]] += (float) (setting.ngramWeight() * coef[k] * v.value()[j]);
                }
            }
            return new FlaggedSvm(setting.gamma(), setting.ngramWeight(), s.dims, supportRows, c, (float) bias, idf, ngram);
        }
    }

    /** Solves the C-SVC over the given positions; coefficients signed so a positive decision means flagged. */
    private static Fit fit(SentenceGram s, List<Integer> rows, float[][] ngramGram, byte[] y, List<Integer> train, Setting setting,
                           double positiveWeight) {
        int n = train.size();
        svm_problem p = new svm_problem();
        p.l = n;
        p.y = new double[n];
        p.x = new svm_node[n][];
        for (int i = 0; i < n; i++) {
            int a = train.get(i);
            p.y[i] = y[a] == 1 ? 1 : -1;
            svm_node[] x = new svm_node[n + 1];
            x[0] = node(0, i + 1);
            for (int j = 0; j < n; j++) {
                int b = train.get(j);
                x[j + 1] = node(j + 1, setting.kernel(s.dot[rows.get(a)][rows.get(b)], ngramGram[a][b]));
            }
            p.x[i] = x;
        }
        svm_parameter param = new svm_parameter();
        param.svm_type = svm_parameter.C_SVC;
        param.kernel_type = svm_parameter.PRECOMPUTED;
        param.C = setting.c();
        param.eps = 1e-3;
        param.cache_size = 64;
        param.shrinking = 1;
        param.probability = 0;
        param.nr_weight = 1;
        param.weight_label = new int[] {1};
        param.weight = new double[] {positiveWeight};
        String problem = svm.svm_check_parameter(p, param);
        if (problem != null) {
            throw new IllegalStateException("LIBSVM refused the flagged classifier's settings: " + problem);
        }
        svm_model model = svm.svm_train(p, param);
        // LIBSVM's decision is positive for its first label; make positive mean flagged.
        double sign = model.label[0] == 1 ? 1 : -1;
        int[] support = new int[model.l];
        double[] coef = new double[model.l];
        for (int k = 0; k < model.l; k++) {
            support[k] = train.get((int) model.SV[k][0].value - 1);
            coef[k] = sign * model.sv_coef[0][k];
        }
        return new Fit(support, coef, -sign * model.rho[0]);
    }

    private static svm_node node(int index, double value) {
        svm_node n = new svm_node();
        n.index = index;
        n.value = value;
        return n;
    }

    /** Dot products of unit sparse vectors through an inverted index: work grows with shared grams, not with pairs. */
    static float[][] gram(CharNgrams.Sparse[] v) {
        int m = v.length;
        int[] count = new int[CharNgrams.BUCKETS + 1];
        for (CharNgrams.Sparse s : v) {
            for (int b : s.index()) {
                count[b + 1]++;
            }
        }
        for (int b = 0; b < CharNgrams.BUCKETS; b++) {
            count[b + 1] += count[b];
        }
        int[] start = count.clone();
        int[] postRow = new int[count[CharNgrams.BUCKETS]];
        float[] postValue = new float[postRow.length];
        for (int i = 0; i < m; i++) {
            CharNgrams.Sparse s = v[i];
            for (int k = 0; k < s.index().length; k++) {
                int at = start[s.index()[k]]++;
                postRow[at] = i;
                postValue[at] = s.value()[k];
            }
        }
        float[][] out = new float[m][m];
        for (int i = 0; i < m; i++) {
            float[] acc = out[i];
            CharNgrams.Sparse s = v[i];
            for (int k = 0; k < s.index().length; k++) {
                int b = s.index()[k];
                float w = s.value()[k];
                for (int at = count[b]; at < count[b + 1]; at++) {
                    acc[postRow[at]] += w * postValue[at];
                }
            }
        }
        return out;
    }
}
