package org.chatcorpus.bench.explorer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.chatcorpus.core.io.ConversationVectors;

/**
 * The explorer's "similar conversations": exact k-nearest by cosine over N × 384 int8 vectors
 * ({@link ConversationVectors#nearest}), one query at a time on one thread, as a request runs.
 * Vectors are seeded random (the scan's cost does not depend on the values). Prints per-query
 * latency (median, p95) over Q queries after W warm-up queries.
 *
 * <p>Peer, same machine and run: NumPy float32 (BLAS sgemv + argpartition) over the same shape,
 * bench/peers/similar/numpy_knn.py.
 *
 * <p>Usage: bench/run.sh org.chatcorpus.bench.explorer.SimilarBench [N=1000000] [Q=30] [W=5] [K=10]
 */
public final class SimilarBench {
    private SimilarBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int k = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int dim = 384;
        long seed = 42;
        System.out.printf("similar: %,d vectors × %d int8, k=%d, seed %d%n", n, dim, k, seed);
        Random r = new Random(seed);
        byte[] data = new byte[n * dim];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (Math.round(r.nextGaussian() * 40));
        }
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(String.format("%08d", i));
        }
        long t0 = System.nanoTime();
        ConversationVectors v = ConversationVectors.ofQuantized("random", "v1:0:0", ids, dim, data);
        System.out.printf("norms of %,d vectors: %.2f s%n", n, (System.nanoTime() - t0) / 1e9);
        double[] ms = new double[queries];
        long checksum = 0;
        for (int q = 0; q < warmup + queries; q++) {
            int row = r.nextInt(n);
            long s = System.nanoTime();
            List<ConversationVectors.Neighbour> nn = v.nearest(row, k);
            double took = (System.nanoTime() - s) / 1e6;
            checksum += nn.get(0).id().hashCode();
            if (q >= warmup) {
                ms[q - warmup] = took;
            }
        }
        Arrays.sort(ms);
        System.out.printf("per query: median %.1f ms, p95 %.1f ms, min %.1f ms (%d queries; checksum %d)%n", ms[queries / 2],
                ms[(int) Math.ceil(queries * 0.95) - 1], ms[0], queries, checksum);
    }
}
