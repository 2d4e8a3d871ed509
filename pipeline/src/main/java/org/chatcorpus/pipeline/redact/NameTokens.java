package org.chatcorpus.pipeline.redact;

import java.util.Arrays;

/**
 * Tokens of one text for the name model: words (letters, digits, '_', with inner apostrophes and
 * hyphens: "O'Brien", "Hauta-aho", "I'm") and single punctuation marks; a trailing possessive
 * "'s" is its own token. Code (``` fences and `inline code`) yields no tokens at all, so nothing
 * in code is ever a name. A word glued to its neighbour stays one token ("amI'm" is one
 * lower-case word, not "am" + a name).
 */
final class NameTokens {
    static final long BOUNDARY_BEFORE = 0x5a17c3f1e2d4b697L;
    static final long BOUNDARY_AFTER = 0x2c9e8b3a71f05d43L;
    private static final long FNV = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private final String text;
    private int n;
    private int[] start = new int[64];
    private int[] end = new int[64];
    /** bit 0 word, 1 capitalised candidate, 2 newline before, 3 exactly one space before. */
    private byte[] kind = new byte[64];
    private long[] lower;
    private boolean anyCandidate;

    private NameTokens(String text) {
        this.text = text;
    }

    static NameTokens of(String text) {
        NameTokens t = new NameTokens(text);
        t.scan();
        t.lower = new long[t.n];
        return t;
    }

    private void scan() {
        String s = text;
        int len = s.length();
        int i = 0;
        boolean newline = true;
        int gapStart = 0;
        while (i < len) {
            char c = s.charAt(i);
            if (c == '`') {
                int close = codeEnd(s, i);
                if (close > 0) {
                    i = close;
                    newline = true; // code breaks the sentence: the next word starts afresh
                    continue;
                }
            }
            if (Character.isWhitespace(c)) {
                if (c == '\n') {
                    newline = true;
                }
                i++;
                continue;
            }
            int from = i;
            boolean single = i - gapStart == 1 && s.charAt(gapStart) == ' ';
            int flags = (newline ? 4 : 0) | (single ? 8 : 0);
            if (isWordChar(c)) {
                boolean digitOrUnderscore = false;
                boolean allUpper = true;
                int letters = 0;
                while (i < len) {
                    char d = s.charAt(i);
                    if (isWordChar(d)) {
                        if (Character.isLetter(d)) {
                            letters++;
                            allUpper &= !Character.isLowerCase(d);
                        } else {
                            digitOrUnderscore = true;
                        }
                        i++;
                    } else if ((d == '\'' || d == '’' || d == '-') && i + 1 < len && Character.isLetter(s.charAt(i + 1))) {
                        i += 2;
                        letters++;
                    } else {
                        break;
                    }
                }
                int wordEnd = i;
                // "John's" → "John" + "'s": the possessive is not part of the name
                if (wordEnd - from > 2 && (s.charAt(wordEnd - 1) == 's' || s.charAt(wordEnd - 1) == 'S')
                        && (s.charAt(wordEnd - 2) == '\'' || s.charAt(wordEnd - 2) == '’')) {
                    wordEnd -= 2;
                }
                boolean cap = Character.isUpperCase(c) || Character.isTitleCase(c);
                boolean candidate = cap && !digitOrUnderscore && !(allUpper && letters > 1)
                        && !(c == 'I' && (wordEnd - from == 1 || s.charAt(from + 1) == '\'' || s.charAt(from + 1) == '’'));
                add(from, wordEnd, 1 | (candidate ? 2 : 0) | flags);
                anyCandidate |= candidate;
                if (wordEnd < i) {
                    add(wordEnd, i, 1);
                }
            } else {
                i++;
                add(from, i, flags);
            }
            newline = false;
            gapStart = i;
        }
    }

    /** End (exclusive) of the code span opening at {@code i}, or -1 when this backtick opens none. */
    private static int codeEnd(String s, int i) {
        if (s.startsWith("```", i)) {
            int close = s.indexOf("```", i + 3);
            return close < 0 ? s.length() : close + 3;
        }
        for (int j = i + 1; j < s.length(); j++) {
            char d = s.charAt(j);
            if (d == '`') {
                return j + 1;
            }
            if (d == '\n') {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private void add(int from, int to, int flags) {
        if (n == start.length) {
            start = Arrays.copyOf(start, n * 2);
            end = Arrays.copyOf(end, n * 2);
            kind = Arrays.copyOf(kind, n * 2);
        }
        start[n] = from;
        end[n] = to;
        kind[n] = (byte) flags;
        n++;
    }

    int size() {
        return n;
    }

    boolean anyCandidate() {
        return anyCandidate;
    }

    String text() {
        return text;
    }

    int start(int i) {
        return start[i];
    }

    int end(int i) {
        return end[i];
    }

    boolean word(int i) {
        return (kind[i] & 1) != 0;
    }

    boolean candidate(int i) {
        return (kind[i] & 2) != 0;
    }

    boolean capitalised(int i) {
        return i >= 0 && i < n && word(i) && Character.isUpperCase(text.charAt(start[i]));
    }

    boolean newlineBefore(int i) {
        return (kind[i] & 4) != 0;
    }

    /** A name can continue from token i-1 into token i: one plain space between, same line. */
    boolean joinsPrevious(int i) {
        return i > 0 && (kind[i] & 8) != 0 && start[i] == end[i - 1] + 1;
    }

    /** Lower-cased hash of token i; boundary constants outside the text. */
    long lower(int i) {
        if (i < 0) {
            return BOUNDARY_BEFORE;
        }
        if (i >= n) {
            return BOUNDARY_AFTER;
        }
        long h = lower[i];
        if (h == 0) {
            h = hashLower(text, start[i], end[i]);
            lower[i] = h;
        }
        return h;
    }

    static long hashLower(String s, int from, int to) {
        long h = FNV;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '’') {
                c = '\'';
            }
            h = (h ^ Character.toLowerCase(c)) * PRIME;
        }
        return h == 0 ? 1 : h;
    }

    /** Word shape with runs collapsed: "John" Xx, "OpenAI" XxX, "McDonald" XxXx, "N" X, "O'Brien" X'Xx. */
    long shape(int i) {
        if (i < 0) {
            return BOUNDARY_BEFORE;
        }
        if (i >= n) {
            return BOUNDARY_AFTER;
        }
        long h = FNV;
        char last = 0;
        int run = 0;
        for (int j = start[i]; j < end[i]; j++) {
            char c = text.charAt(j);
            char k = Character.isUpperCase(c) ? 'X' : Character.isLowerCase(c) ? 'x' : Character.isDigit(c) ? 'd' : c;
            if (k == last) {
                run++;
                if (run > 1) {
                    continue;
                }
            } else {
                run = 0;
            }
            last = k;
            h = (h ^ k) * PRIME;
        }
        return h;
    }

    /** Hash of the last {@code k} characters, lower-cased (the whole word when shorter). */
    long suffix(int i, int k) {
        return hashLower(text, Math.max(start[i], end[i] - k), end[i]) * 31 + k;
    }

    long prefix(int i, int k) {
        return hashLower(text, start[i], Math.min(end[i], start[i] + k)) * 37 + k;
    }

    int length(int i) {
        return end[i] - start[i];
    }

    /**
     * Token i opens a sentence: first token, first on its line, or after . ! ? : (a full stop
     * after a title or an initial — "Mr.", "J." — does not end the sentence), looking through
     * opening quotes, brackets and list bullets.
     */
    boolean sentenceStart(int i) {
        int j = i;
        while (true) {
            if (j == 0 || newlineBefore(j)) {
                return true;
            }
            int p = j - 1;
            if (word(p)) {
                return false;
            }
            char c = text.charAt(start[p]);
            if (c == '.') {
                return !(p > 0 && word(p - 1) && end[p - 1] == start[p] && length(p - 1) <= 3
                        && Character.isUpperCase(text.charAt(start[p - 1])));
            }
            if (c == '!' || c == '?' || c == ':' || c == ';') {
                return true;
            }
            if (c == '"' || c == '\'' || c == '“' || c == '‘' || c == '(' || c == '[' || c == '*' || c == '-' || c == '#'
                    || c == '>' || c == '•') {
                j = p;
                continue;
            }
            return false;
        }
    }
}
