package org.chatcorpus.pipeline.moderation;

import java.util.List;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.ParameterAveraging;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * One binary logistic regression over dense vectors, trained by Tribuo's linear SGD trainer
 * (log loss, AdaGrad with parameter averaging, seeded; measured on 5 folds of OpenAI's samples:
 * flagged F1 0.676 against 0.667 for plain AdaGrad and 0.468 for Adam) and kept as plain weights: with two classes Tribuo's softmax is
 * {@code sigmoid(z_yes - z_no)}, so one weight vector and a bias reproduce its probabilities with a
 * dot product, and the saved model needs neither Tribuo nor its serialisation at run time.
 *
 * @param weights one per dimension
 * @param bias    the intercept
 */
record LogisticFit(float[] weights, float bias) {
    static final String YES = "1";
    static final String NO = "0";
    /** Tribuo logs two INFO lines per fit through java.util.logging; a cross-validation makes hundreds. Held here so the setting sticks. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    static final int EPOCHS = 30;
    static final double LEARNING_RATE = 0.1;

    double score(float[] x) {
        double z = bias;
        for (int k = 0; k < weights.length; k++) {
            z += weights[k] * x[k];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /**
     * Fits {@code y[i]} (1 or 0) from {@code x[i]} over the given rows; positives weigh
     * {@code positiveWeight} each, so a rare category is not learned as "never".
     */
    static LogisticFit fit(float[][] x, byte[] y, List<Integer> rows, double positiveWeight, long seed) {
        int dims = x[rows.get(0)].length;
        // SGD converges far better on standardised dimensions; the scaling is folded back into the
        // weights, so the saved fit reads raw embeddings.
        double[] mean = new double[dims];
        double[] sd = new double[dims];
        for (int i : rows) {
            for (int k = 0; k < dims; k++) {
                mean[k] += x[i][k];
            }
        }
        for (int k = 0; k < dims; k++) {
            mean[k] /= rows.size();
        }
        for (int i : rows) {
            for (int k = 0; k < dims; k++) {
                double d = x[i][k] - mean[k];
                sd[k] += d * d;
            }
        }
        for (int k = 0; k < dims; k++) {
            sd[k] = Math.sqrt(sd[k] / rows.size()) + 1e-6;
        }
        float[][] z = new float[x.length][];
        for (int i : rows) {
            z[i] = new float[dims];
            for (int k = 0; k < dims; k++) {
                z[i][k] = (float) ((x[i][k] - mean[k]) / sd[k]);
            }
        }
        LogisticFit std = fromTribuo(tribuoModel(z, y, rows, positiveWeight, seed), dims);
        float[] w = new float[dims];
        double b = std.bias();
        for (int k = 0; k < dims; k++) {
            w[k] = (float) (std.weights()[k] / sd[k]);
            b -= std.weights()[k] * mean[k] / sd[k];
        }
        return new LogisticFit(w, (float) b);
    }

    static LinearSGDModel tribuoModel(float[][] x, byte[] y, List<Integer> rows, double positiveWeight, long seed) {
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("moderation training rows", labels), labels);
        for (int i : rows) {
            boolean yes = y[i] == 1;
            data.add(example(x[i], new Label(yes ? YES : NO), yes ? (float) positiveWeight : 1f));
        }
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(),
                new ParameterAveraging(new AdaGrad(LEARNING_RATE, 1e-6)), EPOCHS, -1, 1, seed);
        return trainer.train(data);
    }

    static Example<Label> example(float[] v, Label label, float weight) {
        String[] names = featureNames(v.length);
        double[] values = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            values[k] = v[k];
        }
        ArrayExample<Label> e = new ArrayExample<>(label, names, values);
        e.setWeight(weight);
        return e;
    }

    /** Reads Tribuo's weight matrix (one row per class, the bias in the last column) as yes-minus-no. */
    static LogisticFit fromTribuo(LinearSGDModel model, int dims) {
        DenseMatrix w = model.getWeightsCopy();
        ImmutableFeatureMap features = model.getFeatureIDMap();
        int yes = model.getOutputIDInfo().getID(new Label(YES));
        int no = model.getOutputIDInfo().getID(new Label(NO));
        int biasColumn = w.getDimension2Size() - 1;
        float[] weights = new float[dims];
        String[] names = featureNames(dims);
        for (int k = 0; k < dims; k++) {
            int id = features.getID(names[k]);
            if (id >= 0) {
                weights[k] = (float) (value(w, yes, id) - value(w, no, id));
            }
        }
        return new LogisticFit(weights, (float) (value(w, yes, biasColumn) - value(w, no, biasColumn)));
    }

    /** A class Tribuo never saw (no positive row) has no row: its weights are 0. */
    private static double value(DenseMatrix w, int row, int col) {
        return row < 0 ? 0 : w.get(row, col);
    }

    private static volatile String[] names = new String[0];

    /** "d000", "d001", …: Tribuo orders features by name, so the names sort as the dimensions do. */
    static String[] featureNames(int dims) {
        String[] n = names;
        if (n.length != dims) {
            n = new String[dims];
            for (int k = 0; k < dims; k++) {
                n[k] = String.format("d%04d", k);
            }
            names = n;
        }
        return n;
    }
}
