package org.chatcorpus.core.text;

/**
 * The project's one rule for text that cannot be encoded: every unpaired UTF-16 surrogate (a lone
 * high or low surrogate, which a browser's JSON or a damaged input can carry) becomes U+FFFD, the
 * Unicode replacement character, as a lenient UTF-8 encoder would write it. Everything else,
 * including NUL and other control characters, is kept as it is (JSON and Parquet can hold them).
 *
 * <p>Applied at each boundary where text enters or leaves the system (HTTP bodies, readers,
 * quarantine, logs, Parquet), so that no writer ever fails on one record and the same input always
 * gives the same bytes.
 */
public final class Utf16 {
    /** The character an unpaired surrogate becomes. */
    public static final char REPLACEMENT = '\uFFFD';

    private Utf16() {
    }

    /** True when {@code s} holds no unpaired surrogate (so it encodes to UTF-8 as it is). */
    public static boolean isWellFormed(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code s} with every unpaired surrogate replaced by U+FFFD; the same instance when there is none. */
    public static String scrub(String s) {
        if (s == null || isWellFormed(s)) {
            return s;
        }
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(i + 1));
                i++;
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
