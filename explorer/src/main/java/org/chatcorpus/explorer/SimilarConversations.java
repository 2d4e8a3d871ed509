package org.chatcorpus.explorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.core.io.ConversationVectors;

/**
 * "Similar conversations" from the report's embeddings: the {@code conversation-vectors.bin} that
 * {@code chatcorpus report --topics N} writes beside {@code topics.parquet}, one MiniLM vector per
 * conversation of the topic sample. Answers the k nearest by exact cosine similarity (one pass over
 * every vector; see docs/benchmarks.md for what that costs at a million).
 *
 * <p>The vectors are used only when they were computed from the release being served: their
 * release digest must equal the index's. Otherwise, or when there are none, every question gets
 * {@link #reason()}, which says what to run.
 */
public final class SimilarConversations {
    /** How a report is asked for these vectors (the flags exist on the report verb). */
    static final String HOW = "run `chatcorpus report RELEASE --out REPORT_DIR --topics 20` and start explore with "
            + "`--topics REPORT_DIR/topics.parquet`";
    /** Why a conversation of the release may have no vector. */
    static final String NOT_SAMPLED = "this conversation has no prompt in the report's topic sample (English prompts of 32 to 1,536 "
            + "characters, de-duplicated, up to `chatcorpus report --sample N` of them), so it has no embedding";

    private final ConversationVectors vectors;
    private final String reason;

    private SimilarConversations(ConversationVectors vectors, String reason) {
        this.vectors = vectors;
        this.reason = reason;
    }

    static SimilarConversations unavailable(String reason) {
        return new SimilarConversations(null, reason);
    }

    static SimilarConversations of(ConversationVectors vectors) {
        return new SimilarConversations(vectors, null);
    }

    /**
     * The vectors beside a report's {@code topics.parquet} (null: explore was started without one),
     * when they belong to the served release.
     */
    static SimilarConversations beside(Path topicsParquet, ExplorerIndex index) {
        if (topicsParquet == null) {
            return unavailable("no report embeddings for this release: " + HOW);
        }
        Path file = topicsParquet.toAbsolutePath().resolveSibling(ConversationVectors.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return unavailable("no " + file.getFileName() + " beside " + topicsParquet + " (a report older than similar conversations?): " + HOW);
        }
        ConversationVectors v;
        try {
            v = ConversationVectors.read(file);
        } catch (IOException | OutOfMemoryError e) {
            return unavailable("cannot use " + file + ": " + e.getMessage());
        }
        String served = index.releaseDigest();
        if (!v.releaseDigest().equals(served)) {
            return unavailable("the report's embeddings in " + file + " were computed from another release (" + describe(v.releaseDigest())
                    + ") than the one served (" + describe(served) + "): " + HOW);
        }
        return of(v);
    }

    private static String describe(String digest) {
        if (digest == null) {
            return "unknown";
        }
        String[] p = digest.split(":");
        return p.length == 3 ? p[1] + " conversations, digest " + p[2] : digest;
    }

    boolean available() {
        return vectors != null;
    }

    /** Why there are no similar conversations for any conversation (null when there are). */
    String reason() {
        return reason;
    }

    /** Conversations with a vector. */
    int size() {
        return vectors == null ? 0 : vectors.size();
    }

    String model() {
        return vectors == null ? null : vectors.model();
    }

    /** Whether this conversation has a vector (its prompts were in the report's topic sample). */
    boolean embedded(String id) {
        return vectors != null && vectors.indexOf(id) >= 0;
    }

    /** The k nearest conversations, most similar first; empty when this one has no vector. */
    List<ConversationVectors.Neighbour> nearest(String id, int k) {
        int row = vectors == null ? -1 : vectors.indexOf(id);
        return row < 0 ? List.of() : vectors.nearest(row, k);
    }
}
