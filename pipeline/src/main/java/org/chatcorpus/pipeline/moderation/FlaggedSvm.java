package org.chatcorpus.pipeline.moderation;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.chatcorpus.embed.StaticMiniLmEmbedder;

/**
 * The classifier that decides "flagged": a support vector machine over the sum of two kernels, an
 * RBF kernel on the message's sentence vector, {@code exp(gamma (u.v - 1))} for unit vectors, and a
 * linear kernel on its character n-gram TF-IDF vector ({@link CharNgrams}) weighted by
 * {@code ngramWeight}. Trained by LIBSVM ({@link FlaggedSvmTrainer}); kept as plain arrays so a
 * saved model scores without LIBSVM: the sentence part is a sum over the support vectors, and the
 * n-gram part, being linear, folds into one weight per bucket.
 *
 * <p>Why a kernel machine: "toxic" is not one direction in a sentence space but several apart
 * (sexual content, threats, slurs, self-harm); on the 5 folds of OpenAI's samples a linear
 * classifier on the same static vectors reached flagged F1 0.63, the RBF kernel 0.68, the sum with
 * the n-gram kernel 0.70 (docs/benchmarks.md).
 *
 * @param support  the support vectors' unit sentence vectors, row after row ({@code dims} each)
 * @param coef     one signed coefficient per support vector
 * @param ngram    per bucket, the n-gram kernel's folded weight (already times {@code ngramWeight})
 */
record FlaggedSvm(float gamma, float ngramWeight, int dims, float[] support, float[] coef, float bias,
                  CharNgrams.Idf idf, float[] ngram) {

    /** The decision value turned into a score in (0, 1); 0.5 is the SVM's own boundary. */
    double score(float[] vector, CharNgrams.Sparse termFrequencies) {
        return 1 / (1 + Math.exp(-decision(vector, termFrequencies)));
    }

    double decision(float[] vector, CharNgrams.Sparse termFrequencies) {
        float[] u = unit(vector, dims);
        double z = bias;
        int rows = coef.length;
        for (int r = 0; r < rows; r++) {
            z += coef[r] * Math.exp(gamma * (dot(u, support, r * dims, dims) - 1));
        }
        CharNgrams.Sparse w = idf.weigh(termFrequencies);
        double g = 0;
        for (int k = 0; k < w.index().length; k++) {
            g += w.value()[k] * ngram[w.index()[k]];
        }
        return z + g;
    }

    /** The first {@code dims} values scaled to unit length (the static vector carries two length features after them). */
    static float[] unit(float[] vector, int dims) {
        double n = 0;
        for (int k = 0; k < dims; k++) {
            n += vector[k] * (double) vector[k];
        }
        float inv = n > 0 ? (float) (1 / Math.sqrt(n)) : 0;
        float[] u = new float[dims];
        for (int k = 0; k < dims; k++) {
            u[k] = vector[k] * inv;
        }
        return u;
    }

    /** Four running sums, so the JIT can overlap the multiplications. */
    static float dot(float[] u, float[] rows, int offset, int dims) {
        float a = 0;
        float b = 0;
        float c = 0;
        float d = 0;
        int k = 0;
        for (; k + 3 < dims; k += 4) {
            a += u[k] * rows[offset + k];
            b += u[k + 1] * rows[offset + k + 1];
            c += u[k + 2] * rows[offset + k + 2];
            d += u[k + 3] * rows[offset + k + 3];
        }
        for (; k < dims; k++) {
            a += u[k] * rows[offset + k];
        }
        return a + b + c + d;
    }

    void write(DataOutput out) throws IOException {
        out.writeFloat(gamma);
        out.writeFloat(ngramWeight);
        out.writeInt(dims);
        out.writeInt(coef.length);
        out.writeFloat(bias);
        for (int r = 0; r < coef.length; r++) {
            out.writeFloat(coef[r]);
            for (int k = 0; k < dims; k++) {
                out.writeFloat(support[r * dims + k]);
            }
        }
        idf.write(out);
        int nonzero = 0;
        for (float w : ngram) {
            nonzero += w != 0 ? 1 : 0;
        }
        out.writeInt(nonzero);
        for (int b = 0; b < ngram.length; b++) {
            if (ngram[b] != 0) {
                out.writeInt(b);
                out.writeFloat(ngram[b]);
            }
        }
    }

    static FlaggedSvm read(DataInput in) throws IOException {
        float gamma = in.readFloat();
        float ngramWeight = in.readFloat();
        int dims = in.readInt();
        if (dims <= 0 || dims > StaticMiniLmEmbedder.DIMENSIONS * 4) {
            throw new IOException("a flagged SVM over " + dims + " dimensions");
        }
        int rows = in.readInt();
        float bias = in.readFloat();
        float[] coef = new float[rows];
        float[] support = new float[rows * dims];
        for (int r = 0; r < rows; r++) {
            coef[r] = in.readFloat();
            for (int k = 0; k < dims; k++) {
                support[r * dims + k] = in.readFloat();
            }
        }
        CharNgrams.Idf idf = CharNgrams.Idf.read(in);
        float[] ngram = new float[CharNgrams.BUCKETS];
        int nonzero = in.readInt();
        for (int k = 0; k < nonzero; k++) {
            int b = in.readInt();
            ngram[b] = in.readFloat();
        }
        return new FlaggedSvm(gamma, ngramWeight, dims, support, coef, bias, idf, ngram);
    }
}
