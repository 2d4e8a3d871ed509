package org.chatcorpus.preference;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Z-scores of feature values with the training set's means and standard deviations. Written here
 * rather than with Tribuo's MeanStdDevTransformation, which turns a feature that is constant in the
 * training data (no ties in HH pairs, no code in a small sample) into NaN; here its scale is 1.
 */
record Standardizer(double[] mean, double[] scale) {

    static Standardizer fit(List<double[]> rows) {
        int d = rows.get(0).length;
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= rows.size();
        }
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                double x = r[j] - mean[j];
                sq[j] += x * x;
            }
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(sq[j] / rows.size());
            scale[j] = sd > 1e-12 ? sd : 1;
        }
        return new Standardizer(mean, scale);
    }

    double[] apply(double[] row) {
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - mean[j]) / scale[j];
        }
        return out;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(mean.length);
        for (int j = 0; j < mean.length; j++) {
            out.writeDouble(mean[j]);
            out.writeDouble(scale[j]);
        }
    }

    static Standardizer read(DataInputStream in) throws IOException {
        int d = in.readInt();
        if (d < 0 || d > 100_000) {
            throw new IOException("feature count " + d + " is not plausible");
        }
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = in.readDouble();
            scale[j] = in.readDouble();
        }
        return new Standardizer(mean, scale);
    }
}
