package org.chatcorpus.report;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The embeddings of a topic sample on disk ({@code DIR/embeddings.bin}), keyed by a SHA-256 of the
 * model name and the sampled texts in order, so a rerun with another k (or another summariser)
 * skips embedding, and any change of data, sample size, seed or model recomputes.
 *
 * <p>Format: magic "CCEMB1\n", 32-byte key, int count, int dimension, then count × dimension
 * big-endian floats.
 */
public final class EmbeddingCache {
    private static final byte[] MAGIC = "CCEMB1\n".getBytes(StandardCharsets.US_ASCII);

    private EmbeddingCache() {
    }

    public static byte[] key(String model, List<String> texts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(model.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            for (String t : texts) {
                d.update(t.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }

    /** The cached vectors when the file exists and has this key; null otherwise. */
    public static float[][] load(Path file, byte[] key) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            byte[] k = in.readNBytes(key.length);
            if (!Arrays.equals(magic, MAGIC) || !Arrays.equals(k, key)) {
                return null;
            }
            int n = in.readInt();
            int dim = in.readInt();
            float[][] out = new float[n][dim];
            for (float[] v : out) {
                for (int j = 0; j < dim; j++) {
                    v[j] = in.readFloat();
                }
            }
            return out;
        } catch (java.io.EOFException e) {
            return null;
        }
    }

    /** Writes atomically (temporary file, then rename). */
    public static void save(Path file, byte[] key, float[][] vectors) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        int dim = vectors.length == 0 ? 0 : vectors[0].length;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.write(MAGIC);
            out.write(key);
            out.writeInt(vectors.length);
            out.writeInt(dim);
            for (float[] v : vectors) {
                for (float x : v) {
                    out.writeFloat(x);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
