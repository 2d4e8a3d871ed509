package org.chatcorpus.preference;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.Winner;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

/**
 * A trained human-preference predictor: probabilities that A wins, B wins, or it is a tie.
 *
 * <p>Predictions are symmetric by construction: the model (trained on every battle and its
 * position-swapped copy) is asked about (A, B) and about (B, A), and the two answers are averaged
 * with the second one's sides swapped back, so P(A wins | A, B) = P(B wins | B, A) exactly.
 *
 * <p>The file holds a header naming the feature set and embedder, the feature means and scales,
 * then the Tribuo model in Tribuo's own protobuf format (not Java serialization).
 */
public final class PreferenceModel {
    static final String MAGIC = "chatcorpus-preference-model 1";
    public static final List<String> LABELS = List.of(Winner.MODEL_A.label(), Winner.MODEL_B.label(), Winner.TIE.label());

    private final Model<Label> model;
    private final Standardizer standardizer;
    private final PreferenceFeatures.Kind kind;
    private final String embedder;

    PreferenceModel(Model<Label> model, Standardizer standardizer, PreferenceFeatures.Kind kind, String embedder) {
        this.model = model;
        this.standardizer = standardizer;
        this.kind = kind;
        this.embedder = embedder;
    }

    public String embedder() {
        return embedder;
    }

    public PreferenceFeatures.Kind kind() {
        return kind;
    }

    /** {P(A wins), P(B wins), P(tie)} per battle, each row summing to 1. */
    public double[][] predict(List<Battle> battles) {
        return predict(battles, kind == PreferenceFeatures.Kind.ALL ? BattleEmbeddings.of(battles, embedder) : null);
    }

    double[][] predict(List<Battle> battles, float[][][] emb) {
        List<String> names = PreferenceFeatures.names(kind, emb == null ? 0 : emb[0][0].length);
        String[] nameArray = names.toArray(String[]::new);
        double[][] out = new double[battles.size()][];
        for (int i = 0; i < battles.size(); i++) {
            Battle b = battles.get(i);
            float[][] e = emb == null ? null : emb[i];
            double[] ab = probabilities(example(nameArray, b, e));
            double[] ba = probabilities(example(nameArray, b.swapped(), e == null ? null : new float[][] {e[0], e[2], e[1]}));
            out[i] = new double[] {(ab[0] + ba[1]) / 2, (ab[1] + ba[0]) / 2, (ab[2] + ba[2]) / 2};
        }
        return out;
    }

    private Example<Label> example(String[] names, Battle b, float[][] emb) {
        return new ArrayExample<>(PreferenceTrainer.UNKNOWN, names, standardizer.apply(PreferenceFeatures.values(b, kind, emb)));
    }

    private double[] probabilities(Example<Label> x) {
        Prediction<Label> p = model.predict(x);
        Map<String, Label> scores = p.getOutputScores();
        double[] out = new double[3];
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            Label l = scores.get(LABELS.get(k));
            out[k] = l == null ? 0 : l.getScore();
            sum += out[k];
        }
        for (int k = 0; k < 3; k++) {
            out[k] /= sum;
        }
        return out;
    }

    public void save(Path file) throws IOException {
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file)); DataOutputStream out = new DataOutputStream(raw)) {
            out.writeUTF(MAGIC);
            out.writeUTF(kind.name());
            out.writeUTF(embedder);
            standardizer.write(out);
            model.serializeToStream(out);
        }
    }

    @SuppressWarnings("unchecked")
    public static PreferenceModel load(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file)); DataInputStream in = new DataInputStream(raw)) {
            String magic;
            try {
                magic = in.readUTF();
            } catch (IOException e) {
                magic = "";
            }
            if (!MAGIC.equals(magic)) {
                throw new IOException(file + ": not a preference model (train one with `chatcorpus preference train`)");
            }
            PreferenceFeatures.Kind kind = PreferenceFeatures.Kind.valueOf(in.readUTF());
            String embedder = in.readUTF();
            Standardizer z = Standardizer.read(in);
            Model<?> m = Model.deserializeFromStream(in);
            if (!m.validate(Label.class)) {
                throw new IOException(file + ": the model inside does not predict labels");
            }
            return new PreferenceModel((Model<Label>) m, z, kind, embedder);
        }
    }
}
