package org.chatcorpus.preference;

import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.Winner;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains a {@link PreferenceModel}: L2-regularised logistic regression (LIBLINEAR through Tribuo;
 * one-vs-rest, probabilities normalised across the classes) over standardised ({@link Standardizer}) {@link PreferenceFeatures}, on every labeled battle and its
 * position-swapped copy, so that neither side is favoured for being A. Both kinds of tie are one
 * class, as the competition scores them.
 *
 * <p>{@link #crossValidate} gives the k-fold log loss beside the class-prior log loss (the prior
 * taken from the training folds): a model that has learnt nothing scores the prior.
 */
public final class PreferenceTrainer {
    static final LabelFactory LABELS = new LabelFactory();
    static final Label UNKNOWN = LabelFactory.UNKNOWN_LABEL;
    /** Tribuo logs every epoch at INFO through java.util.logging; keep the console to our own summary. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** {@code cost} is LIBLINEAR's C: smaller means stronger L2 regularisation (384 embedding dimensions need it). */
    public record Options(PreferenceFeatures.Kind kind, String embedder, double cost, long seed) {
    }

    private final Options options;

    public PreferenceTrainer(Options options) {
        this.options = options;
    }

    public PreferenceModel train(List<Battle> battles, float[][][] emb) {
        List<Battle> labeled = new ArrayList<>();
        List<float[][]> vectors = new ArrayList<>();
        for (int i = 0; i < battles.size(); i++) {
            if (battles.get(i).labeled()) {
                labeled.add(battles.get(i));
                vectors.add(emb == null ? null : emb[i]);
            }
        }
        if (labeled.isEmpty()) {
            throw new IllegalArgumentException("no labeled battles to train on");
        }
        String[] names = PreferenceFeatures.names(options.kind(), emb == null ? 0 : emb[0][0].length).toArray(String[]::new);
        List<double[]> rows = new ArrayList<>(labeled.size() * 2);
        List<Label> labels = new ArrayList<>(labeled.size() * 2);
        for (int i = 0; i < labeled.size(); i++) {
            Battle b = labeled.get(i);
            float[][] e = vectors.get(i);
            rows.add(PreferenceFeatures.values(b, options.kind(), e));
            labels.add(LABELS.generateOutput(label(b.winner())));
            rows.add(PreferenceFeatures.values(b.swapped(), options.kind(), e == null ? null : new float[][] {e[0], e[2], e[1]}));
            labels.add(LABELS.generateOutput(label(b.winner().swapped())));
        }
        Standardizer z = Standardizer.fit(rows);
        List<org.tribuo.Example<Label>> examples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            examples.add(new ArrayExample<>(labels.get(i), names, z.apply(rows.get(i))));
        }
        var provenance = new SimpleDataSourceProvenance("chatcorpus battles (with position-swapped copies)", LABELS);
        MutableDataset<Label> data = new MutableDataset<>(new ListDataSource<>(examples, LABELS, provenance));
        var trainer = new LibLinearClassificationTrainer(new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR),
                options.cost(), 1000, 0.001, options.seed());
        Model<Label> model = trainer.train(data);
        return new PreferenceModel(model, z, options.kind(), options.kind() == PreferenceFeatures.Kind.ALL ? options.embedder() : "none");
    }

    static String label(Winner w) {
        return w.isTie() ? Winner.TIE.label() : w.label();
    }

    /** The log losses of one evaluation: the model's and the class prior's on the same battles. */
    public record Scores(double model, double prior, int battles) {
    }

    /** k-fold cross-validation over labeled battles (folds by a seeded shuffle). */
    public Scores crossValidate(List<Battle> battles, float[][][] emb, int folds) {
        List<Integer> labeled = new ArrayList<>();
        for (int i = 0; i < battles.size(); i++) {
            if (battles.get(i).labeled()) {
                labeled.add(i);
            }
        }
        java.util.Collections.shuffle(labeled, new java.util.Random(options.seed()));
        double modelLoss = 0;
        double priorLoss = 0;
        for (int f = 0; f < folds; f++) {
            List<Battle> train = new ArrayList<>();
            List<float[][]> trainEmb = new ArrayList<>();
            List<Battle> test = new ArrayList<>();
            List<float[][]> testEmb = new ArrayList<>();
            for (int k = 0; k < labeled.size(); k++) {
                int i = labeled.get(k);
                boolean held = k % folds == f;
                (held ? test : train).add(battles.get(i));
                (held ? testEmb : trainEmb).add(emb == null ? null : emb[i]);
            }
            Scores s = evaluate(train, emb == null ? null : trainEmb.toArray(float[][][]::new), test,
                    emb == null ? null : testEmb.toArray(float[][][]::new));
            modelLoss += s.model() * test.size();
            priorLoss += s.prior() * test.size();
        }
        return new Scores(modelLoss / labeled.size(), priorLoss / labeled.size(), labeled.size());
    }

    /** Trains on one set and scores on another (the held-out measurement). */
    public Scores evaluate(List<Battle> train, float[][][] trainEmb, List<Battle> test, float[][][] testEmb) {
        PreferenceModel m = train(train, trainEmb);
        double[][] p = m.predict(test, testEmb);
        double[] prior = prior(train);
        double model = 0;
        double base = 0;
        for (int i = 0; i < test.size(); i++) {
            int y = PreferenceModel.LABELS.indexOf(label(test.get(i).winner()));
            model += LogLoss.of(p[i][y]);
            base += LogLoss.of(prior[y]);
        }
        return new Scores(model / test.size(), base / test.size(), test.size());
    }

    /** Class frequencies of labeled battles, in {@link PreferenceModel#LABELS} order. */
    public static double[] prior(List<Battle> battles) {
        double[] c = new double[3];
        int n = 0;
        for (Battle b : battles) {
            if (b.labeled()) {
                c[PreferenceModel.LABELS.indexOf(label(b.winner()))]++;
                n++;
            }
        }
        for (int k = 0; k < 3; k++) {
            c[k] /= n;
        }
        return c;
    }

    /** A seeded split of labeled battles: {train, held-out}. */
    public static List<List<Integer>> split(List<Battle> battles, double heldOut, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < battles.size(); i++) {
            if (battles.get(i).labeled()) {
                idx.add(i);
            }
        }
        java.util.Collections.shuffle(idx, new java.util.Random(seed));
        int cut = (int) Math.round(idx.size() * (1 - heldOut));
        return List.of(idx.subList(0, cut), idx.subList(cut, idx.size()));
    }

}
