package org.chatcorpus.core.tokenize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Llama / Llama-2 SentencePiece BPE tokenizer (the vicuna-7b-v1.5 vocabulary the LMSYS-Chat-1M
 * paper counted tokens with), in pure Java, from a Hugging Face tokenizer.json
 * ({@code model.vocab}, {@code model.merges}).
 *
 * <p>Encoding follows llama-tokenizer-js 1.2.2 id for id: BOS (id 1), a preceding space, spaces as
 * "▁", one initial token per code point or, for code points outside the vocabulary, one
 * {@code <0xNN>} token per UTF-8 byte; then merges in priority order over the whole string, where
 * a merge's priority is {@code (2 * rank + 1) + position / length} (rank in the merges list,
 * position of the left token counting BOS as 0, length of the input in UTF-16 units), exactly as
 * the reference computes it, so equal merges run left to right.
 *
 * <p>One deliberate difference: for the empty string the reference returns no ids, while the
 * Hugging Face tokenizer the paper used returns {@code [1]} (BOS); we follow Hugging Face, since
 * counts must equal {@code len(tokenizer(x).input_ids)}.
 *
 * <p>Thread-safe and allocation-light: per call only primitive arrays sized to the input. {@link #count}
 * works word by word with a per-thread cache of word counts (HF tokenizers keep such a word cache
 * too), which gives the same numbers as merging the whole text (see {@code wordsIndependent}; the
 * test compares both on real texts) at a fraction of the cost.
 */
public final class LlamaTokenizer implements TokenCounter {
    public static final int BOS = 1;
    private static final String SPACE = "▁";

    private final String name;
    private final String[] vocab;
    private final Map<String, Integer> idsByString;
    /** Token id of single-code-point tokens, indexed by code point for the BMP; else the map. */
    private final int[] bmpIds = new int[65536];
    private final int spaceId;
    private final int[] byteIds = new int[256];
    private final PairTable merges;
    /**
     * True when no merge joins a token ending in a non-space to one starting with "▁" (true of the
     * Llama vocabulary: no token has "▁" after another character) and none involves BOS. Then no
     * merge ever crosses the start of a word (a run of "▁" and what follows up to the next "▁"),
     * the merges inside one word run in the same relative order whatever the rest of the text is,
     * and a text's count is BOS plus the counts of its words, each computed (and cached) alone.
     */
    private final boolean wordsIndependent;
    private final ThreadLocal<WordCache> words = ThreadLocal.withInitial(WordCache::new);

    private LlamaTokenizer(String name, List<String> vocabList, List<String[]> mergeList) throws IOException {
        this.name = name;
        this.vocab = vocabList.toArray(new String[0]);
        this.idsByString = new HashMap<>(vocab.length * 2);
        for (int i = 0; i < vocab.length; i++) {
            if (vocab[i] != null) {
                idsByString.put(vocab[i], i);
            }
        }
        Arrays.fill(bmpIds, -1);
        for (int i = 0; i < vocab.length; i++) {
            String t = vocab[i];
            if (t != null && t.length() == 1) {
                bmpIds[t.charAt(0)] = i;
            }
        }
        Integer space = idsByString.get(SPACE);
        if (space == null) {
            throw new IOException("vocabulary has no \"▁\" token; not a Llama SentencePiece vocabulary");
        }
        this.spaceId = space;
        for (int b = 0; b < 256; b++) {
            Integer id = idsByString.get(String.format("<0x%02X>", b));
            if (id == null) {
                throw new IOException("vocabulary lacks the byte-fallback token <0x" + String.format("%02X", b) + ">");
            }
            byteIds[b] = id;
        }
        this.merges = new PairTable(mergeList.size() * 2);
        boolean independent = true;
        for (int rank = 0; rank < mergeList.size(); rank++) {
            String[] m = mergeList.get(rank);
            Integer a = idsByString.get(m[0]);
            Integer b = idsByString.get(m[1]);
            Integer merged = idsByString.get(m[0] + m[1]);
            if (a == null || b == null || merged == null) {
                throw new IOException("merge " + rank + " (\"" + m[0] + " " + m[1] + "\") refers to tokens not in the vocabulary");
            }
            merges.put(a, b, rank, merged);
            boolean crossesWordStart = m[0].charAt(m[0].length() - 1) != SPACE.charAt(0) && m[1].charAt(0) == SPACE.charAt(0);
            if (crossesWordStart || a == BOS || b == BOS) {
                independent = false;
            }
        }
        this.wordsIndependent = independent;
    }

    /** Loads a tokenizer.json ({@code model.vocab} as {token: id}, {@code model.merges} as "a b" strings or [a, b] pairs). */
    public static LlamaTokenizer load(Path tokenizerJson) throws IOException {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return load(in, "llama (" + tokenizerJson.getFileName() + ")");
        } catch (IOException e) {
            throw new IOException("cannot load the Llama tokenizer from " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    static LlamaTokenizer load(InputStream in, String name) throws IOException {
        List<String> vocab = new ArrayList<>();
        List<String[]> merges = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            boolean sawModel = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("model")) {
                    p.skipChildren();
                    continue;
                }
                sawModel = true;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken t = p.nextToken();
                    if (f.equals("vocab") && t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String token = p.currentName();
                            p.nextToken();
                            int id = p.getIntValue();
                            while (vocab.size() <= id) {
                                vocab.add(null);
                            }
                            vocab.set(id, token);
                        }
                    } else if (f.equals("merges") && t == JsonToken.START_ARRAY) {
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (t == JsonToken.VALUE_STRING) {
                                String s = p.getText();
                                int sp = s.indexOf(' ', 1);
                                if (sp < 0) {
                                    throw new IOException("merge \"" + s + "\" is not two tokens separated by a space");
                                }
                                merges.add(new String[] {s.substring(0, sp), s.substring(sp + 1)});
                            } else if (t == JsonToken.START_ARRAY) {
                                p.nextToken();
                                String a = p.getText();
                                p.nextToken();
                                String b = p.getText();
                                p.nextToken();
                                merges.add(new String[] {a, b});
                            } else {
                                throw new IOException("unexpected merge entry " + t);
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
            if (!sawModel || vocab.isEmpty() || merges.isEmpty()) {
                throw new IOException("no model.vocab / model.merges found");
            }
        }
        return new LlamaTokenizer(name, vocab, merges);
    }

    @Override
    public String name() {
        return name;
    }

    public int vocabularySize() {
        return vocab.length;
    }

    public String token(int id) {
        return vocab[id];
    }

    @Override
    public int count(String text) {
        if (text.isEmpty()) {
            return 1;
        }
        if (!wordsIndependent) {
            return merge(initial(text), text.length());
        }
        // BOS, then each word on its own (see wordsIndependent), most of them from the thread's cache.
        // One pass over a copy of the chars (String.charAt on non-Latin-1 text checks every index):
        // the word's hash is built while looking for its end.
        WordCache cache = words.get();
        int n = text.length();
        char[] cs = cache.chars(n);
        text.getChars(0, n, cs, 0);
        int total = 1;
        int start = 0;
        int h = ' '; // the first word's key reads the prefix "▁" as ' ' (the same token), so "a" of "a b" shares " a"'s entry
        boolean wasSpace = false;
        for (int i = 0; i < n; i++) {
            char c = cs[i];
            boolean space = c == ' ' || c == '\u2581';
            if (space && !wasSpace && i > 0) {
                total += word(cache, cs, text, start, i, h);
                start = i;
                h = 0;
            }
            h = 31 * h + c;
            wasSpace = space;
        }
        return total + word(cache, cs, text, start, n, h);
    }

    /**
     * Tokens of one word: text[from, to) preceded by "▁" when it is the first word (the prefix
     * space every text gets; later words start with their own spaces). {@code h} is the key's hash;
     * {@code cs} holds the text's chars.
     */
    private int word(WordCache cache, char[] cs, String text, int from, int to, int h) {
        boolean first = from == 0;
        int skip = first ? 1 : 0;
        int length = to - from + skip;
        if (length > WordCache.MAX_LENGTH) {
            return merge(initial(text, from, to, first, false), length);
        }
        int slot = (h ^ (h >>> 15)) & WordCache.MASK;
        char[] key = cache.keys[slot];
        if (key != null && key.length == length && (!first || key[0] == ' ') && Arrays.equals(key, skip, length, cs, from, to)) {
            return cache.counts[slot];
        }
        int count = merge(initial(cache.work, text, from, to, first, false), length);
        key = new char[length];
        key[0] = ' ';
        System.arraycopy(cs, from, key, skip, to - from);
        cache.keys[slot] = key;
        cache.counts[slot] = count;
        return count;
    }

    /** The token ids of {@code text}, BOS first. */
    public int[] encode(String text) {
        if (text.isEmpty()) {
            return new int[] {BOS};
        }
        Work w = initial(text, 0, text.length(), true, true);
        int n = merge(w, text.length());
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i != -1; i = w.next[i]) {
            out[k++] = w.ids[i];
        }
        return out;
    }

    /** The initial tokens of a whole text: BOS, then one per code point of "▁" + text with spaces as "▁", bytes as fallback. */
    private Work initial(String text) {
        return initial(text, 0, text.length(), true, true);
    }

    /** The initial tokens of text[from, to), after BOS and the prefix "▁" when asked. */
    private Work initial(String text, int from, int to, boolean prefix, boolean bos) {
        return initial(new Work((to - from) * 4 + 2), text, from, to, prefix, bos);
    }

    /** As above, into {@code w} (emptied first): a word cache miss reuses its thread's arrays. */
    private Work initial(Work w, String text, int from, int to, boolean prefix, boolean bos) {
        w.reset((to - from) * 4 + 2);
        if (bos) {
            w.add(BOS);
        }
        if (prefix) {
            w.add(spaceId);
        }
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            if (cp == ' ') {
                w.add(spaceId);
            } else {
                int id = cp < 65536 ? bmpIds[cp] : idOf(text.substring(i, i + len));
                if (id >= 0) {
                    w.add(id);
                } else {
                    byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                    for (byte b : bytes) {
                        w.add(byteIds[b & 0xff]);
                    }
                }
            }
            i += len;
        }
        return w;
    }

    private int idOf(String s) {
        Integer id = idsByString.get(s);
        return id == null ? -1 : id;
    }

    /**
     * Runs the merges in priority order on the linked list; returns the number of tokens left.
     * {@code length} is the input's length in UTF-16 units, which only scales the position term
     * of the priority (ties of one rank still run left to right).
     */
    private int merge(Work w, int length) {
        int n = w.size;
        int[] ids = w.ids;
        if (w.next == null || w.next.length < n) {
            w.next = new int[n];
            w.prev = new int[n];
            w.version = new int[n];
        }
        int[] prev = w.prev;
        int[] next = w.next;
        int[] version = w.version;
        Arrays.fill(version, 0, n, 0);
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        double len = length;
        Heap heap = w.heap == null ? (w.heap = new Heap(n)) : w.heap.clear();
        for (int i = 0; i + 1 < n; i++) {
            push(heap, ids, i, i + 1, version, len);
        }
        int alive = n;
        while (!heap.isEmpty()) {
            int e = heap.pop();
            int left = heap.left[e];
            int right = next[left];
            if (right != heap.right[e] || version[left] != heap.leftVersion[e] || version[right] != heap.rightVersion[e]
                    || prev[left] == -2) {
                continue; // stale: one side merged since this entry was queued
            }
            ids[left] = heap.merged[e];
            version[left]++;
            int after = next[right];
            next[left] = after;
            if (after != -1) {
                prev[after] = left;
            }
            prev[right] = -2; // removed
            version[right]++;
            alive--;
            if (prev[left] >= 0) {
                // The pair (prev, left) changed: its old entry is stale through version[left]; queue the new one.
                push(heap, ids, prev[left], left, version, len);
            }
            if (after != -1) {
                push(heap, ids, left, after, version, len);
            }
        }
        return alive;
    }

    private void push(Heap heap, int[] ids, int left, int right, int[] version, double len) {
        long m = merges.get(ids[left], ids[right]);
        if (m < 0) {
            return;
        }
        int rank = (int) (m >>> 32);
        int merged = (int) m;
        double priority = (2.0 * rank + 1) + left / len;
        heap.push(priority, left, right, version[left], version[right], merged);
    }

    /**
     * A thread's cache of word counts: direct-mapped (a new word replaces the one in its slot), so
     * its size is fixed; chat text repeats its words so often that most lookups hit.
     */
    private static final class WordCache {
        static final int MAX_LENGTH = 40;
        static final int MASK = (1 << 15) - 1;
        final char[][] keys = new char[MASK + 1][];
        final int[] counts = new int[MASK + 1];
        /** Arrays for merging one missed word, reused: words are short, so they stay small. */
        final Work work = new Work(MAX_LENGTH * 4 + 2);
        /** Room for the text being counted, kept between calls up to 1M chars (a longer text gets its own). */
        private char[] chars = new char[1024];

        char[] chars(int n) {
            if (n > 1 << 20) {
                return new char[n];
            }
            if (chars.length < n) {
                chars = new char[Math.max(n, Math.min(1 << 20, chars.length * 2))];
            }
            return chars;
        }
    }

    /** The growing initial token list. */
    private static final class Work {
        int[] ids;
        int size;
        int[] next;
        int[] prev;
        int[] version;
        Heap heap;

        Work(int capacity) {
            ids = new int[capacity];
        }

        void reset(int capacity) {
            if (ids.length < capacity) {
                ids = new int[capacity];
            }
            size = 0;
        }

        void add(int id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }
    }

    /** A binary min-heap of merge candidates, in parallel primitive arrays. */
    private static final class Heap {
        double[] priority;
        int[] left;
        int[] right;
        int[] leftVersion;
        int[] rightVersion;
        int[] merged;
        int[] heap;
        int size;
        int used;

        Heap(int capacity) {
            int c = Math.max(4, capacity * 2);
            priority = new double[c];
            left = new int[c];
            right = new int[c];
            leftVersion = new int[c];
            rightVersion = new int[c];
            merged = new int[c];
            heap = new int[c];
        }

        boolean isEmpty() {
            return size == 0;
        }

        Heap clear() {
            size = 0;
            used = 0;
            return this;
        }

        void push(double p, int l, int r, int lv, int rv, int m) {
            if (used == priority.length) {
                int c = used * 2;
                priority = Arrays.copyOf(priority, c);
                left = Arrays.copyOf(left, c);
                right = Arrays.copyOf(right, c);
                leftVersion = Arrays.copyOf(leftVersion, c);
                rightVersion = Arrays.copyOf(rightVersion, c);
                merged = Arrays.copyOf(merged, c);
            }
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            int e = used++;
            priority[e] = p;
            left[e] = l;
            right[e] = r;
            leftVersion[e] = lv;
            rightVersion[e] = rv;
            merged[e] = m;
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (priority[heap[parent]] <= p) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = e;
        }

        int pop() {
            int top = heap[0];
            int last = heap[--size];
            int i = 0;
            double p = priority[last];
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) {
                    break;
                }
                if (c + 1 < size && priority[heap[c + 1]] < priority[heap[c]]) {
                    c++;
                }
                if (priority[heap[c]] >= p) {
                    break;
                }
                heap[i] = heap[c];
                i = c;
            }
            heap[i] = last;
            return top;
        }
    }

    /** Open-addressing map from a token-id pair to (rank << 32 | merged id). */
    private static final class PairTable {
        private final long[] keys;
        private final long[] values;
        private final int mask;

        PairTable(int expected) {
            int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
            keys = new long[cap];
            values = new long[cap];
            Arrays.fill(keys, -1);
            mask = cap - 1;
        }

        private static long key(int a, int b) {
            return ((long) a << 32) | (b & 0xffffffffL);
        }

        private int slot(long k) {
            long h = k * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }

        /** Later entries replace earlier ones, as the reference's Map.set does. */
        void put(int a, int b, int rank, int merged) {
            long k = key(a, b);
            int i = slot(k);
            while (keys[i] != -1 && keys[i] != k) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            values[i] = ((long) rank << 32) | (merged & 0xffffffffL);
        }

        long get(int a, int b) {
            long k = key(a, b);
            int i = slot(k);
            while (keys[i] != -1) {
                if (keys[i] == k) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            return -1;
        }
    }
}
