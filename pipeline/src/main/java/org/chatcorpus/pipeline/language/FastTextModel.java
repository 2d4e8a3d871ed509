package org.chatcorpus.pipeline.language;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A supervised fastText model (format version 12, as {@code fasttext supervised} and
 * {@code quantize} write it) read and run in pure Java, prediction for prediction as fastText's
 * C++ does it: the line is split on ASCII whitespace into words, each known word contributes its
 * own row plus its character n-grams' rows ({@code minn..maxn} bytes of UTF-8 counted by code
 * point, inside "&lt;" and "&gt;", hashed by 32-bit FNV-1a over signed bytes into {@code bucket}
 * buckets, pruned buckets mapped through the model's prune index), an unknown word only its
 * n-grams; the hidden vector is their mean; labels are scored by hierarchical softmax (a Huffman
 * tree over the label counts) or softmax. Product-quantized matrices ({@code .ftz}) are decoded
 * row by row on the fly, as fastText does.
 *
 * <p>Immutable after loading and safe for concurrent use.
 */
public final class FastTextModel {
    private static final int MAGIC = 793712314;
    private static final int VERSION = 12;
    private static final String EOS = "</s>";
    private static final String BOW = "<";
    private static final String EOW = ">";
    private static final int LOSS_HS = 1;
    private static final int LOSS_SOFTMAX = 3;

    /** One label and its probability. */
    public record Prediction(String label, double probability) {
    }

    private final int dim;
    private final int minn;
    private final int maxn;
    private final int bucket;
    private final int loss;
    private final int nwords;
    private final String[] labels;
    private final Map<String, int[]> subwordsOfWord;
    private final IntIntMap pruneIndex;
    private final boolean pruned;
    private final Matrix input;
    private final Matrix output;
    private final int[] treeLeft;
    private final int[] treeRight;

    private FastTextModel(DataInputStream raw) throws IOException {
        LittleEndian in = new LittleEndian(raw);
        if (in.readInt() != MAGIC) {
            throw new IOException("not a fastText model (bad magic number)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("fastText model version " + version + " is not supported (only " + VERSION + ")");
        }
        dim = in.readInt();
        in.readInt(); // ws
        in.readInt(); // epoch
        in.readInt(); // minCount
        in.readInt(); // neg
        int wordNgrams = in.readInt();
        loss = in.readInt();
        int model = in.readInt();
        bucket = in.readInt();
        minn = in.readInt();
        maxn = in.readInt();
        in.readInt(); // lrUpdateRate
        in.readDouble(); // t
        if (model != 3) {
            throw new IOException("only supervised fastText models can classify (model type " + model + ")");
        }
        if (wordNgrams > 1) {
            throw new IOException("word n-grams (wordNgrams=" + wordNgrams + ") are not supported");
        }
        if (loss != LOSS_HS && loss != LOSS_SOFTMAX) {
            throw new IOException("fastText loss " + loss + " is not supported (hierarchical softmax or softmax only)");
        }
        int size = in.readInt();
        nwords = in.readInt();
        int nlabels = in.readInt();
        in.readLong(); // ntokens
        long pruneSize = in.readLong();
        String[] words = new String[nwords];
        labels = new String[nlabels];
        long[] labelCounts = new long[nlabels];
        for (int i = 0; i < size; i++) {
            String w = in.readCString();
            long count = in.readLong();
            int type = in.readByte();
            if (type == 0) {
                words[i] = w;
            } else {
                labels[i - nwords] = w;
                labelCounts[i - nwords] = count;
            }
        }
        pruneIndex = new IntIntMap((int) Math.max(16, pruneSize * 2));
        for (long i = 0; i < pruneSize; i++) {
            pruneIndex.put(in.readInt(), in.readInt());
        }
        pruned = pruneSize >= 0;
        subwordsOfWord = new HashMap<>(nwords * 2);
        for (int i = 0; i < nwords; i++) {
            IntList ids = new IntList();
            ids.add(i);
            if (!words[i].equals(EOS)) {
                addCharNgrams((BOW + words[i] + EOW).getBytes(StandardCharsets.UTF_8), ids);
            }
            subwordsOfWord.put(words[i], ids.toArray());
        }
        boolean quantInput = in.readBoolean();
        input = quantInput ? QuantizedMatrix.read(in) : DenseMatrix.read(in);
        boolean qout = in.readBoolean();
        output = quantInput && qout ? QuantizedMatrix.read(in) : DenseMatrix.read(in);
        if (loss == LOSS_HS) {
            int[][] tree = huffmanTree(labelCounts);
            treeLeft = tree[0];
            treeRight = tree[1];
        } else {
            treeLeft = null;
            treeRight = null;
        }
    }

    /** Reads a model (the stream is consumed, not closed). */
    public static FastTextModel read(InputStream in) throws IOException {
        return new FastTextModel(new DataInputStream(in));
    }

    public int dimension() {
        return dim;
    }

    public int labelCount() {
        return labels.length;
    }

    /**
     * The {@code k} most probable labels of one line of text, most probable first, as fastText's
     * {@code predict(text, k)} gives them (the line ends at its first newline, or at its end as
     * if a newline followed).
     */
    public List<Prediction> predict(String text, int k) {
        int[] ids = inputIds(text);
        if (ids.length == 0 || k <= 0) {
            return List.of();
        }
        float[] hidden = new float[dim];
        for (int id : ids) {
            input.addRow(hidden, id);
        }
        float inv = 1.0f / ids.length;
        for (int d = 0; d < dim; d++) {
            hidden[d] *= inv;
        }
        TopK top = new TopK(Math.min(k, labels.length));
        if (loss == LOSS_HS) {
            dfs(top, 2 * labels.length - 2, 0.0f, hidden);
        } else {
            softmax(top, hidden);
        }
        return top.sorted(labels);
    }

    /** The rows of a line: each word's own row and n-gram rows, as fastText's Dictionary::getLine. */
    int[] inputIds(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        IntList ids = new IntList();
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            while (i < n && isSpace(bytes[i])) {
                if (bytes[i] == '\n') {
                    // fastText's reader turns a newline into the end-of-sentence word and stops the line there.
                    addEndOfSentence(ids);
                    return ids.toArray();
                }
                i++;
            }
            int start = i;
            while (i < n && !isSpace(bytes[i])) {
                i++;
            }
            if (i > start) {
                addWord(bytes, start, i, ids);
            }
        }
        // fastText's predict on a string reads it as a line, i.e. with its newline: the
        // end-of-sentence word's row counts too (and is all a line of unknown words has).
        addEndOfSentence(ids);
        return ids.toArray();
    }

    /** A word given as bytes {@code from..to} of the line: its n-grams are hashed from those bytes, with no second encoding. */
    private void addWord(byte[] line, int from, int to, IntList ids) {
        String word = new String(line, from, to - from, StandardCharsets.UTF_8);
        if (word.startsWith("__label__")) {
            return;
        }
        int[] known = subwordsOfWord.get(word);
        if (known != null) {
            for (int id : known) {
                ids.add(id);
            }
            return;
        }
        byte[] bracketed = new byte[to - from + 2];
        bracketed[0] = '<';
        System.arraycopy(line, from, bracketed, 1, to - from);
        bracketed[bracketed.length - 1] = '>';
        addCharNgrams(bracketed, ids);
    }

    /** The end-of-sentence word: only its own row (it is always in lid.176's dictionary; nothing if not). */
    private void addEndOfSentence(IntList ids) {
        int[] known = subwordsOfWord.get(EOS);
        if (known != null) {
            for (int id : known) {
                ids.add(id);
            }
        }
    }

    /** Character n-grams of a word in angle brackets, over its UTF-8 bytes, counting code points as fastText does. */
    private void addCharNgrams(byte[] word, IntList ids) {
        for (int i = 0; i < word.length; i++) {
            if ((word[i] & 0xC0) == 0x80) {
                continue;
            }
            int h = 0x811C9DC5; // FNV-1a offset basis, as uint32 2166136261
            int j = i;
            for (int len = 1; j < word.length && len <= maxn; len++) {
                h = fnv(h, word[j++]);
                while (j < word.length && (word[j] & 0xC0) == 0x80) {
                    h = fnv(h, word[j++]);
                }
                if (len >= minn && !(len == 1 && (i == 0 || j == word.length))) {
                    pushBucket((int) (Integer.toUnsignedLong(h) % bucket), ids);
                }
            }
        }
    }

    private static int fnv(int h, byte b) {
        // fastText hashes uint32_t(int8_t(c)): bytes >= 0x80 are sign-extended.
        return (h ^ (int) b) * 16777619;
    }

    private void pushBucket(int id, IntList ids) {
        if (pruned) {
            int mapped = pruneIndex.get(id);
            if (mapped < 0) {
                return;
            }
            id = mapped;
        }
        ids.add(nwords + id);
    }

    private void dfs(TopK top, int node, float score, float[] hidden) {
        if (top.full() && score < top.worst()) {
            return;
        }
        int osz = labels.length;
        if (treeLeft[node] == -1 && treeRight[node] == -1) {
            top.offer(node, score);
            return;
        }
        float f = output.dot(hidden, node - osz);
        f = (float) (1.0 / (1 + Math.exp(-f)));
        dfs(top, treeLeft[node], score + log(1.0f - f), hidden);
        dfs(top, treeRight[node], score + log(f), hidden);
    }

    private void softmax(TopK top, float[] hidden) {
        int osz = labels.length;
        float[] out = new float[osz];
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < osz; i++) {
            out[i] = output.dot(hidden, i);
            max = Math.max(max, out[i]);
        }
        float z = 0;
        for (int i = 0; i < osz; i++) {
            out[i] = (float) Math.exp(out[i] - max);
            z += out[i];
        }
        for (int i = 0; i < osz; i++) {
            top.offer(i, log(out[i] / z));
        }
    }

    /** fastText's std_log: log(x + 1e-5). */
    private static float log(float x) {
        return (float) Math.log(x + 1e-5);
    }

    /** Left and right children of fastText's Huffman tree over label counts (already sorted, largest first). */
    private static int[][] huffmanTree(long[] counts) {
        int osz = counts.length;
        int total = 2 * osz - 1;
        int[] left = new int[total];
        int[] right = new int[total];
        long[] count = new long[total];
        Arrays.fill(left, -1);
        Arrays.fill(right, -1);
        Arrays.fill(count, (long) 1e15);
        System.arraycopy(counts, 0, count, 0, osz);
        int leaf = osz - 1;
        int node = osz;
        for (int i = osz; i < total; i++) {
            int[] mini = new int[2];
            for (int j = 0; j < 2; j++) {
                if (leaf >= 0 && count[leaf] < count[node]) {
                    mini[j] = leaf--;
                } else {
                    mini[j] = node++;
                }
            }
            left[i] = mini[0];
            right[i] = mini[1];
            count[i] = count[mini[0]] + count[mini[1]];
        }
        return new int[][] {left, right};
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0x0B || b == '\f' || b == 0;
    }

    /** A growable list of ints (row ids of a line; hundreds per prompt, so no boxing). */
    private static final class IntList {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    /** Open-addressing map from non-negative int keys to non-negative int values; -1 when absent. */
    private static final class IntIntMap {
        private final int[] keys;
        private final int[] values;
        private final int mask;

        IntIntMap(int capacity) {
            int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
            keys = new int[size];
            values = new int[size];
            Arrays.fill(keys, -1);
            mask = size - 1;
        }

        void put(int key, int value) {
            int i = mix(key) & mask;
            while (keys[i] != -1 && keys[i] != key) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
        }

        int get(int key) {
            int i = mix(key) & mask;
            while (keys[i] != -1) {
                if (keys[i] == key) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            return -1;
        }

        private static int mix(int k) {
            int h = k * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }

    /** The k best (label index, log-probability) pairs seen, as fastText's min-heap keeps them. */
    private static final class TopK {
        private final int k;
        private final int[] index;
        private final float[] score;
        private int size;

        TopK(int k) {
            this.k = k;
            this.index = new int[k];
            this.score = new float[k];
        }

        boolean full() {
            return size == k;
        }

        float worst() {
            float w = Float.POSITIVE_INFINITY;
            for (int i = 0; i < size; i++) {
                w = Math.min(w, score[i]);
            }
            return w;
        }

        void offer(int label, float s) {
            if (size < k) {
                index[size] = label;
                score[size++] = s;
                return;
            }
            int worstAt = 0;
            for (int i = 1; i < size; i++) {
                if (score[i] < score[worstAt]) {
                    worstAt = i;
                }
            }
            if (s > score[worstAt]) {
                index[worstAt] = label;
                score[worstAt] = s;
            }
        }

        List<Prediction> sorted(String[] labels) {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(score[b], score[a]));
            List<Prediction> out = new ArrayList<>(size);
            for (int i : order) {
                out.add(new Prediction(labels[index[i]], Math.exp(score[i])));
            }
            return out;
        }
    }

    /** A matrix as the model stores it: rows added to a vector, or dotted with one. */
    private interface Matrix {
        void addRow(float[] x, int row);

        float dot(float[] x, int row);
    }

    private record DenseMatrix(int cols, float[] data) implements Matrix {
        static DenseMatrix read(LittleEndian in) throws IOException {
            long m = in.readLong();
            long n = in.readLong();
            return new DenseMatrix((int) n, in.readFloats(Math.toIntExact(m * n)));
        }

        @Override
        public void addRow(float[] x, int row) {
            int at = row * cols;
            for (int d = 0; d < cols; d++) {
                x[d] += data[at + d];
            }
        }

        @Override
        public float dot(float[] x, int row) {
            int at = row * cols;
            float s = 0;
            for (int d = 0; d < cols; d++) {
                s += x[d] * data[at + d];
            }
            return s;
        }
    }

    /**
     * fastText's product-quantized matrix: each row is {@code nsubq} one-byte codes into 256
     * centroids per sub-vector (the last sub-vector may be shorter), optionally scaled by a
     * quantized norm.
     */
    private record QuantizedMatrix(int nsubq, int dsub, int lastdsub, float[] centroids, byte[] codes,
            float[] normCentroids, byte[] normCodes) implements Matrix {
        private static final int KSUB = 256;

        static QuantizedMatrix read(LittleEndian in) throws IOException {
            boolean qnorm = in.readBoolean();
            long m = in.readLong();
            in.readLong(); // n
            int codesize = in.readInt();
            byte[] codes = in.readBytes(codesize);
            int dim = in.readInt();
            int nsubq = in.readInt();
            int dsub = in.readInt();
            int lastdsub = in.readInt();
            float[] centroids = in.readFloats(dim * KSUB);
            float[] normCentroids = null;
            byte[] normCodes = null;
            if (qnorm) {
                normCodes = in.readBytes(Math.toIntExact(m));
                int ndim = in.readInt();
                in.readInt(); // nsubq of the norm quantizer (1)
                in.readInt(); // dsub
                in.readInt(); // lastdsub
                normCentroids = in.readFloats(ndim * KSUB);
            }
            return new QuantizedMatrix(nsubq, dsub, lastdsub, centroids, codes, normCentroids, normCodes);
        }

        private float norm(int row) {
            return normCodes == null ? 1f : normCentroids[normCodes[row] & 0xFF];
        }

        private int centroid(int m, int code) {
            return m == nsubq - 1 ? m * KSUB * dsub + code * lastdsub : (m * KSUB + code) * dsub;
        }

        @Override
        public void addRow(float[] x, int row) {
            float alpha = norm(row);
            int at = nsubq * row;
            for (int m = 0; m < nsubq; m++) {
                int c = centroid(m, codes[at + m] & 0xFF);
                int d = m == nsubq - 1 ? lastdsub : dsub;
                for (int j = 0; j < d; j++) {
                    x[m * dsub + j] += alpha * centroids[c + j];
                }
            }
        }

        @Override
        public float dot(float[] x, int row) {
            float res = 0;
            int at = nsubq * row;
            for (int m = 0; m < nsubq; m++) {
                int c = centroid(m, codes[at + m] & 0xFF);
                int d = m == nsubq - 1 ? lastdsub : dsub;
                for (int j = 0; j < d; j++) {
                    res += x[m * dsub + j] * centroids[c + j];
                }
            }
            return res * norm(row);
        }
    }

    /** Little-endian reads of the C++ structs fastText writes. */
    private record LittleEndian(DataInputStream in) {
        int readInt() throws IOException {
            return Integer.reverseBytes(in.readInt());
        }

        long readLong() throws IOException {
            return Long.reverseBytes(in.readLong());
        }

        double readDouble() throws IOException {
            return Double.longBitsToDouble(readLong());
        }

        boolean readBoolean() throws IOException {
            return in.readByte() != 0;
        }

        byte readByte() throws IOException {
            return in.readByte();
        }

        byte[] readBytes(int n) throws IOException {
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }

        float[] readFloats(int n) throws IOException {
            byte[] b = readBytes(Math.multiplyExact(n, 4));
            float[] f = new float[n];
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return f;
        }

        String readCString() throws IOException {
            java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream(16);
            for (int c; (c = in.read()) != 0; ) {
                if (c < 0) {
                    throw new IOException("the model file ends inside its dictionary");
                }
                s.write(c);
            }
            return s.toString(StandardCharsets.UTF_8);
        }
    }
}
