package org.chatcorpus.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/**
 * Chooses the prompts for topic clustering as FastChat's topic_clustering.py does: every user
 * message of English conversations, 32 to 1,536 characters long, de-duplicated by its sorted,
 * lower-cased word set without punctuation, then a seeded random sample.
 *
 * <p>Streaming and order-independent: each distinct word set gets a seeded 64-bit hash and the
 * sample is the {@code size} word sets with the smallest hashes (a bottom-k sample, uniformly random
 * per seed); among duplicates the message with the smallest seeded hash of (conversation id,
 * message index) represents the set. So the sample is the same whatever order parallel readers
 * deliver conversations in, memory is bounded by the sample size, and per-worker samplers merge.
 */
public final class PromptSampler {
    public static final int MIN_CHARS = 32;
    public static final int MAX_CHARS = 1536;
    public static final String LANGUAGE = "English";

    /** One sampled prompt: where it is, its text, and its sampling keys. */
    public record Prompt(String conversationId, int messageIndex, String text, String dedupKey, long key, long repKey) {
    }

    private static final Comparator<Prompt> ORDER = Comparator.comparingLong(Prompt::key).thenComparing(Prompt::dedupKey);

    private final int size;
    private final long seed;
    private final Map<String, Prompt> byKey = new HashMap<>();
    private final TreeSet<Prompt> kept = new TreeSet<>(ORDER);
    private long candidates;

    public PromptSampler(int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("sample size must be >= 0");
        }
        this.size = size;
        this.seed = seed;
    }

    /** Offers every eligible user message of a conversation. */
    public void add(Conversation c) {
        if (size == 0 || !LANGUAGE.equals(c.language())) {
            return;
        }
        List<Message> messages = c.conversation();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (!m.isUser()) {
                continue;
            }
            String text = m.content();
            if (text.length() < MIN_CHARS || text.length() > MAX_CHARS) {
                continue;
            }
            candidates++;
            String dedup = dedupKey(text);
            if (dedup.isEmpty()) {
                continue;
            }
            long key = hash(seed, dedup);
            if (kept.size() == size) {
                Prompt last = kept.last();
                if (key > last.key() || key == last.key() && dedup.compareTo(last.dedupKey()) > 0) {
                    continue;
                }
            }
            offer(new Prompt(c.conversationId(), i, text, dedup, key, hash(seed ^ 0x9E3779B97F4A7C15L, c.conversationId() + "\u0000" + i)));
        }
    }

    private void offer(Prompt p) {
        Prompt old = byKey.get(p.dedupKey());
        if (old != null) {
            if (compareRep(p, old) < 0) {
                kept.remove(old);
                kept.add(p);
                byKey.put(p.dedupKey(), p);
            }
            return;
        }
        kept.add(p);
        byKey.put(p.dedupKey(), p);
        if (kept.size() > size) {
            Prompt drop = kept.pollLast();
            byKey.remove(drop.dedupKey());
        }
    }

    private static int compareRep(Prompt a, Prompt b) {
        int c = Long.compare(a.repKey(), b.repKey());
        if (c != 0) {
            return c;
        }
        c = a.conversationId().compareTo(b.conversationId());
        return c != 0 ? c : Integer.compare(a.messageIndex(), b.messageIndex());
    }

    public void merge(PromptSampler o) {
        candidates += o.candidates;
        for (Prompt p : o.kept) {
            if (kept.size() == size && ORDER.compare(p, kept.last()) > 0) {
                break;
            }
            offer(p);
        }
    }

    /** Eligible user messages seen (before de-duplication). */
    public long candidates() {
        return candidates;
    }

    /** The sample, in sampling-key order (deterministic per seed). */
    public List<Prompt> sample() {
        return new ArrayList<>(kept);
    }

    /** The sorted, lower-cased set of words of a text, punctuation removed, joined by spaces. */
    public static String dedupKey(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp) || Character.isWhitespace(cp)) {
                clean.appendCodePoint(Character.toLowerCase(cp));
            }
        });
        TreeSet<String> words = new TreeSet<>();
        for (String w : clean.toString().split("\\s+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return String.join(" ", words);
    }

    /** A seeded 64-bit hash: FNV-1a over the UTF-16 units, finished with SplitMix64's mixer. */
    static long hash(long seed, String s) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h += 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }
}
