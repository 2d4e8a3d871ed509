package org.chatcorpus.usecases.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A uniformly random sample of fixed size that does not depend on the order items arrive in:
 * each item has a seeded 64-bit key and the sample is the {@code k} items with the smallest keys
 * (ties by a second key). Parallel readers therefore give the same sample on every run.
 */
final class BottomK<T> {
    private record Key(long hash, String tieBreak) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::hash).thenComparing(Key::tieBreak);

    private final int k;
    private final TreeMap<Key, T> kept = new TreeMap<>(ORDER);

    BottomK(int k) {
        this.k = k;
    }

    synchronized void offer(long hash, String tieBreak, T item) {
        if (k <= 0) {
            return;
        }
        Key key = new Key(hash, tieBreak);
        if (kept.size() < k) {
            kept.put(key, item);
        } else if (ORDER.compare(key, kept.lastKey()) < 0) {
            kept.pollLastEntry();
            kept.put(key, item);
        }
    }

    /** The sample, smallest key first. */
    synchronized List<T> items() {
        return new ArrayList<>(kept.values());
    }

    /** A seeded 64-bit mix of a string (SplitMix64 over its chars). */
    static long hash(String s, long seed) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < s.length(); i++) {
            h = mix(h + s.charAt(i));
        }
        return mix(h);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
