package org.chatcorpus.core.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * One sentence-embedding vector per conversation, as the report writes them beside
 * {@code report.json} ({@code conversation-vectors.bin}) and the explorer reads them to answer
 * "similar conversations" by exact cosine similarity.
 *
 * <p>Vectors are stored as int8, each scaled by its own largest absolute component (×127): a
 * quarter of float32's size, and cosine does not depend on the scale, so no scale is stored. On
 * real MiniLM prompt vectors the cosine of two int8 vectors is within about 0.01 of the float32
 * cosine. The file names the embedding model and the {@code ReleaseDigest} of the release the
 * vectors were computed from, so a reader can refuse vectors of another release.
 *
 * <p>Format: magic {@code "CCVEC1\n"}, model (Java modified UTF-8, {@link DataOutputStream#writeUTF}),
 * release digest (same), int count, int dimension, then count ids (int byte length, UTF-8 bytes) in
 * {@link String#compareTo} order, then count × dimension signed bytes. Big-endian. The same vectors
 * give the same bytes.
 */
public final class ConversationVectors {
    public static final String FILE_NAME = "conversation-vectors.bin";
    private static final byte[] MAGIC = "CCVEC1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ID_BYTES = 1 << 20;

    private final String model;
    private final String releaseDigest;
    private final List<String> ids;
    private final int dim;
    private final byte[] data;
    private final float[] inverseNorm;

    private ConversationVectors(String model, String releaseDigest, List<String> ids, int dim, byte[] data) {
        this.model = model;
        this.releaseDigest = releaseDigest;
        this.ids = ids;
        this.dim = dim;
        this.data = data;
        this.inverseNorm = new float[ids.size()];
        for (int i = 0; i < inverseNorm.length; i++) {
            long sq = dot(data, i * dim, data, i * dim, dim);
            inverseNorm[i] = sq == 0 ? 0f : (float) (1 / Math.sqrt(sq));
        }
    }

    /**
     * Vectors already quantized: {@code data} holds {@code ids.size() × dim} int8 components, row by
     * row, ids in {@link String#compareTo} order (for benchmarks, which cannot hold a million float
     * vectors to write first).
     */
    public static ConversationVectors ofQuantized(String model, String releaseDigest, List<String> ids, int dim, byte[] data) {
        if ((long) ids.size() * dim != data.length) {
            throw new IllegalArgumentException(ids.size() + " ids of " + dim + " dimensions need " + (long) ids.size() * dim + " bytes, not "
                    + data.length);
        }
        return new ConversationVectors(model, releaseDigest, List.copyOf(ids), dim, data);
    }

    /** One neighbour: its id and its cosine similarity to the query. */
    public record Neighbour(String id, double similarity) {
    }

    /** Writes vectors keyed by conversation id (the map's order is the file's; use a TreeMap), atomically. */
    public static void write(Path file, String model, String releaseDigest, SortedMap<String, float[]> vectors) throws IOException {
        int dim = vectors.isEmpty() ? 0 : vectors.values().iterator().next().length;
        Path tmp = file.resolveSibling("." + file.getFileName() + ".inprogress");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.write(MAGIC);
            out.writeUTF(model);
            out.writeUTF(releaseDigest);
            out.writeInt(vectors.size());
            out.writeInt(dim);
            for (String id : vectors.keySet()) {
                byte[] b = id.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
            byte[] q = new byte[dim];
            for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                if (e.getValue().length != dim) {
                    throw new IllegalArgumentException("vector of " + e.getKey() + " has " + e.getValue().length + " dimensions, not " + dim);
                }
                quantize(e.getValue(), q);
                out.write(q);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Symmetric int8: each component ×127 / the largest absolute component, rounded half away from zero. */
    static void quantize(float[] v, byte[] q) {
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        for (int j = 0; j < v.length; j++) {
            q[j] = max == 0 || !Float.isFinite(v[j]) ? 0 : (byte) Math.round(v[j] * 127.0 / max);
        }
    }

    /** Reads a file written by {@link #write}; the error names the file and what is wrong with it. */
    public static ConversationVectors read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a conversation vectors file (written by `chatcorpus report --topics N`)");
            }
            String model = in.readUTF();
            String digest = in.readUTF();
            int n = in.readInt();
            int dim = in.readInt();
            if (n < 0 || dim < 0 || (long) n * dim > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + n + " vectors of " + dim + " dimensions is more than one array holds");
            }
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int len = in.readInt();
                if (len < 0 || len > MAX_ID_BYTES) {
                    throw new IOException(file + ": conversation id " + i + " has a length of " + len + " bytes");
                }
                String id = new String(in.readNBytes(len), StandardCharsets.UTF_8);
                if (i > 0 && ids.get(i - 1).compareTo(id) >= 0) {
                    throw new IOException(file + ": conversation ids are not in order at " + i);
                }
                ids.add(id);
            }
            byte[] data = new byte[n * dim];
            in.readFully(data);
            return new ConversationVectors(model, digest, Collections.unmodifiableList(ids), dim, data);
        } catch (EOFException e) {
            throw new IOException(file + " is cut short (a report still running or killed?); rerun `chatcorpus report`", e);
        }
    }

    public String model() {
        return model;
    }

    public String releaseDigest() {
        return releaseDigest;
    }

    public int size() {
        return ids.size();
    }

    public int dimension() {
        return dim;
    }

    /** The row of a conversation, or -1 when it has no vector. */
    public int indexOf(String id) {
        int i = Collections.binarySearch(ids, id);
        return i < 0 ? -1 : i;
    }

    public String id(int row) {
        return ids.get(row);
    }

    /** Cosine similarity of two rows (of their int8 vectors). */
    public double similarity(int a, int b) {
        return dot(data, a * dim, data, b * dim, dim) * (double) inverseNorm[a] * inverseNorm[b];
    }

    /**
     * The {@code k} rows most similar to {@code row} (itself excluded), most similar first, ties by
     * id: exact, by one pass over every vector.
     */
    public List<Neighbour> nearest(int row, int k) {
        int n = ids.size();
        if (k <= 0 || n <= 1) {
            return List.of();
        }
        int kk = Math.min(k, n - 1);
        // A bounded heap of the best so far, worst at the root: scores and rows in parallel arrays.
        float[] heapScore = new float[kk];
        int[] heapRow = new int[kk];
        int size = 0;
        int q = row * dim;
        float qn = inverseNorm[row];
        for (int i = 0; i < n; i++) {
            if (i == row) {
                continue;
            }
            float s = dot(data, q, data, i * dim, dim) * qn * inverseNorm[i];
            if (size < kk) {
                heapScore[size] = s;
                heapRow[size] = i;
                up(heapScore, heapRow, size++);
            } else if (s > heapScore[0]) { // rows come in id order, so an equal score keeps the smaller id
                heapScore[0] = s;
                heapRow[0] = i;
                down(heapScore, heapRow, size);
            }
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> heapScore[a] != heapScore[b] ? Float.compare(heapScore[b], heapScore[a])
                : Integer.compare(heapRow[a], heapRow[b]));
        List<Neighbour> out = new ArrayList<>(size);
        for (int i : order) {
            out.add(new Neighbour(ids.get(heapRow[i]), similarity(row, heapRow[i])));
        }
        return out;
    }

    /** Heap order: a lower score is worse; at equal scores a larger row (larger id) is worse. */
    private static boolean worse(float[] s, int[] r, int a, int b) {
        return s[a] < s[b] || s[a] == s[b] && r[a] > r[b];
    }

    private static void up(float[] s, int[] r, int i) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (!worse(s, r, i, p)) {
                break;
            }
            swap(s, r, i, p);
            i = p;
        }
    }

    private static void down(float[] s, int[] r, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int m = i;
            if (l < size && worse(s, r, l, m)) {
                m = l;
            }
            if (l + 1 < size && worse(s, r, l + 1, m)) {
                m = l + 1;
            }
            if (m == i) {
                return;
            }
            swap(s, r, i, m);
            i = m;
        }
    }

    private static void swap(float[] s, int[] r, int a, int b) {
        float ts = s[a];
        s[a] = s[b];
        s[b] = ts;
        int tr = r[a];
        r[a] = r[b];
        r[b] = tr;
    }

    private static int dot(byte[] x, int xo, byte[] y, int yo, int n) {
        int s = 0;
        for (int j = 0; j < n; j++) {
            s += x[xo + j] * y[yo + j];
        }
        return s;
    }
}
