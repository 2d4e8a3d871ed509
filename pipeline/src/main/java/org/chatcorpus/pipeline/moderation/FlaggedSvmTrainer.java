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
 * logistic fits weigh them) and chooses its two kernel settings and its threshold on the training
 * rows alone: each setting of {@link #GAMMAS} x {@link #NGRAM_WEIGHTS} is scored out of fold over
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
     * own tags can hold millions. Beyond it, a seeded sample keeps every positive up to half the
     * rows and fills the rest with negatives, the paper's recipe of flagged plus normal messages.
     */
    static final int MAX_ROWS = 3000;

    static {
        svm.svm_set_print_string_function(s -> { }); // LIBSVM prints its optimiser's progress to stdout
    }

    private FlaggedSvmTrainer() {
    }

    /**
     * @param rows       the rows trained on (after {@link #capped})
     * @param outOfFold  per row of {@code rows}, its score from the chosen setting's inner fold that held it out
     */
    record Trained(FlaggedSvm svm, float threshold, List<Integer> rows, double[] outOfFold) {
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

    /** Trains on {@code rows} ({@code y[i]} 1 or 0) and picks settings and threshold by inner folds over them. */
    static Trained train(SentenceGram sentences, CharNgrams.Sparse[] tf, byte[] y, List<Integer> labeledRows, double positiveWeight, long seed) {
        List<Integer> rows = capped(labeledRows, y, seed, MAX_ROWS);
        CharNgrams.Idf idf = CharNgrams.Idf.of(tf, rows);
        int m = rows.size();
        CharNgrams.Sparse[] weighted = new CharNgrams.Sparse[m];
        for (int a = 0; a < m; a++) {
            weighted[a] = idf.weigh(tf[rows.get(a)]);
        }
        float[][] ngramGram = gram(weighted);
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
            double f1 = f1(oof, local, t);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = setting;
                bestThreshold = t;
                bestOof = oof;
            }
        }
        Fit f = fit(sentences, rows, ngramGram, local, positions, best, positiveWeight);
        return new Trained(f.toSvm(sentences, rows, weighted, idf, best), bestThreshold, rows, bestOof);
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

    /** At most {@code limit} of the rows, in their order: positives up to half, the rest negatives, each a seeded sample. */
    static List<Integer> capped(List<Integer> rows, byte[] y, long seed, int limit) {
        if (rows.size() <= limit) {
            return rows;
        }
        List<Integer> positives = new ArrayList<>();
        List<Integer> negatives = new ArrayList<>();
        for (int i : rows) {
            (y[i] == 1 ? positives : negatives).add(i);
        }
        java.util.Random random = new java.util.Random(seed);
        java.util.Collections.shuffle(positives, random);
        java.util.Collections.shuffle(negatives, random);
        int keepPositives = Math.min(positives.size(), limit / 2);
        int keepNegatives = Math.min(negatives.size(), limit - keepPositives);
        keepPositives = Math.min(positives.size(), limit - keepNegatives);
        java.util.Set<Integer> keep = new java.util.HashSet<>(positives.subList(0, keepPositives));
        keep.addAll(negatives.subList(0, keepNegatives));
        List<Integer> out = new ArrayList<>(keep.size());
        for (int i : rows) {
            if (keep.contains(i)) {
                out.add(i);
            }
        }
        return out;
    }

    private static double f1(double[] scores, byte[] y, float threshold) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int a = 0; a < scores.length; a++) {
            boolean pred = scores[a] >= threshold;
            tp += pred && y[a] == 1 ? 1 : 0;
            fp += pred && y[a] != 1 ? 1 : 0;
            fn += !pred && y[a] == 1 ? 1 : 0;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
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
