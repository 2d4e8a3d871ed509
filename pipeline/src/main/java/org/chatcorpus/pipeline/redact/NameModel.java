package org.chatcorpus.pipeline.redact;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A trained sequence model for person names: a greedy left-to-right averaged perceptron tagging
 * each capitalised word as part of a name or not (the previous word's tag is a feature; adjacent
 * name words joined by one space form one name), with hashed features of the word, its shape, affixes, the two
 * words either side, the previous tag and word-list membership (first names, last names, common
 * English words, places, products). Only capitalised words are scored; every other token is O,
 * which keeps the model fast on chat text (most tokens are lower-case).
 *
 * <p>The model file (gzip) holds the word lists and the weights; {@link NameTrainer} writes it,
 * byte for byte the same from the same seed. The default model ships as a resource.
 */
public final class NameModel {
    static final int MAGIC = 0x4e414d45; // "NAME"
    static final int VERSION = 2;
    static final int O = 0;
    /** Part of a person name. (A separate "inside" tag was tried: it learnt little and made the name/not-name margin noisier.) */
    static final int N = 1;
    static final int TAGS = 2;

    /** Word-list flags (one bit per list), looked up by the hash of the lower-cased word. */
    static final int FIRST = 1;
    static final int LAST = 2;
    static final int COMMON = 4;
    static final int PLACE = 8;
    static final int THING = 16;
    static final int TITLE = 32;
    static final int NATION = 64;

    static final String RESOURCE = "names.model";

    private static final class Holder {
        static final NameModel DEFAULT = loadDefault();
    }

    final int bits;
    final int mask;
    /** Weights, tag-major: weights[tag * (1 << bits) + feature]. */
    final float[] weights;
    /** Word lists, lower-cased word → flags; kept sorted for a stable file. */
    final TreeMap<String, Integer> lexicon;
    private final LongIntMap flagsByHash;

    NameModel(int bits, float[] weights, TreeMap<String, Integer> lexicon) {
        this.bits = bits;
        this.mask = (1 << bits) - 1;
        this.weights = weights;
        this.lexicon = lexicon;
        this.flagsByHash = new LongIntMap(lexicon.size());
        for (Map.Entry<String, Integer> e : lexicon.entrySet()) {
            flagsByHash.put(NameTokens.hashLower(e.getKey(), 0, e.getKey().length()), e.getValue());
        }
    }

    /** The model that ships with chatcorpus (trained by {@code chatcorpus train-names}). */
    public static NameModel get() {
        return Holder.DEFAULT;
    }

    private static NameModel loadDefault() {
        try (InputStream in = NameModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the name model resource " + RESOURCE + " is missing from the pipeline jar");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped name model", e);
        }
    }

    public static NameModel load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    static NameModel read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw)));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a chatcorpus name model");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("name model version " + version + ", this build reads " + VERSION);
        }
        int bits = in.readInt();
        int words = in.readInt();
        TreeMap<String, Integer> lex = new TreeMap<>();
        for (int i = 0; i < words; i++) {
            String w = in.readUTF();
            lex.put(w, (int) in.readByte());
        }
        int nonZero = in.readInt();
        float[] weights = new float[TAGS << bits];
        int at = 0;
        for (int i = 0; i < nonZero; i++) {
            at += in.readInt();
            weights[at] = in.readFloat();
        }
        return new NameModel(bits, weights, lex);
    }

    /** Writes the model: sorted word list, then the non-zero weights (delta-coded positions). Same model, same bytes. */
    public void save(OutputStream raw) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(raw); // the JDK writes no timestamp: same bytes each time
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(gz));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(bits);
        out.writeInt(lexicon.size());
        for (Map.Entry<String, Integer> e : lexicon.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeByte(e.getValue());
        }
        int nonZero = 0;
        for (float w : weights) {
            if (w != 0f) {
                nonZero++;
            }
        }
        out.writeInt(nonZero);
        int last = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != 0f) {
                out.writeInt(i - last);
                out.writeFloat(weights[i]);
                last = i;
            }
        }
        out.flush();
        gz.finish();
    }

    public void save(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            save(out);
        }
    }

    int flags(long lowerHash) {
        return flagsByHash.get(lowerHash);
    }

    /** Person-name spans [start, end) of a text, in order. */
    List<int[]> spans(String text) {
        NameTokens t = NameTokens.of(text);
        List<int[]> spans = new ArrayList<>();
        if (!t.anyCandidate()) {
            return spans;
        }
        int[] feats = new int[Features.COUNT];
        int size = 1 << bits;
        int prev = O;
        int[] open = null;
        for (int i = 0; i < t.size(); i++) {
            int tag = O;
            if (t.candidate(i)) {
                Features.extract(this, t, i, prev, feats);
                float o = 0;
                float n = 0;
                for (int f : feats) {
                    o += weights[f];
                    n += weights[size + f];
                }
                tag = n > o ? N : O;
            }
            if (tag == N && open != null && t.joinsPrevious(i)) {
                open[1] = t.end(i); // "Sarah" + "Connor": one name
            } else if (tag == N) {
                open = new int[] {t.start(i), t.end(i)};
                spans.add(open);
            } else {
                open = null;
            }
            prev = tag;
        }
        return spans;
    }

    /** Open-addressing long → int map (no boxing on the hot path). */
    static final class LongIntMap {
        private final long[] keys;
        private final int[] values;
        private final int mask;

        LongIntMap(int expected) {
            int cap = Integer.highestOneBit(Math.max(16, expected * 2)) << 1;
            keys = new long[cap];
            values = new int[cap];
            mask = cap - 1;
        }

        void put(long key, int value) {
            long k = key == 0 ? 1 : key;
            int i = (int) (k ^ (k >>> 32)) & mask;
            while (keys[i] != 0 && keys[i] != k) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            values[i] |= value;
        }

        int get(long key) {
            long k = key == 0 ? 1 : key;
            int i = (int) (k ^ (k >>> 32)) & mask;
            while (keys[i] != 0) {
                if (keys[i] == k) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            return 0;
        }
    }
}
