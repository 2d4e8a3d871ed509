package org.chatcorpus.core.stats;

import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/**
 * The identity of a dataset's content, so a file derived from one release (the report's
 * conversation vectors) is refused when served beside another: the number of conversations and the
 * sum (mod 2^64) of a 64-bit hash of each conversation's id, model and messages (role and text).
 *
 * <p>A sum does not depend on reading order, so parallel readers and per-worker digests merged at
 * the end give the same value, and a release read from its Parquet shards or from a JSON-lines copy
 * of it gets the same digest. Moderation tags, language and redaction flags are left out: they do
 * not change what a conversation says. It guards against mistakes (another release, a re-curated
 * one), not against someone forging a collision. Not thread-safe: one per worker, then merged.
 */
public final class ReleaseDigest {
    private long conversations;
    private long sum;

    public void add(Conversation c) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, c.conversationId());
        h = mix(h, c.model());
        for (Message m : c.conversation()) {
            h = mix(h, m.role());
            h = mix(h, m.content());
        }
        // SplitMix64's finaliser, so that sums of similar conversations do not cancel out.
        h += 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        sum += h ^ (h >>> 31);
        conversations++;
    }

    /** FNV-1a over the UTF-16 units, then a separator unit that no text ends with by accident. */
    private static long mix(long h, String s) {
        if (s != null) {
            for (int i = 0; i < s.length(); i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
        }
        h ^= 0xFFFF;
        return h * 0x100000001b3L;
    }

    public void merge(ReleaseDigest o) {
        conversations += o.conversations;
        sum += o.sum;
    }

    public long conversations() {
        return conversations;
    }

    /** {@code "v1:N:HEX"}: version, conversations, the 16-hex-digit sum. */
    @Override
    public String toString() {
        return "v1:" + conversations + ":" + String.format("%016x", sum);
    }
}
