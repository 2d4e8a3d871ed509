package org.chatcorpus.core.text;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * When two prompts are "the same prompt" across corpora (compare's overlap, pairs' mining): equal
 * after Unicode NFKC, lower-casing (root locale) and collapsing every run of whitespace to one space,
 * trimmed. {@link #hash} is a 64-bit FNV-1a of that form's UTF-8 bytes, for sets of millions.
 */
public final class PromptKey {
    private PromptKey() {
    }

    public static String normalize(String prompt) {
        if (prompt == null) {
            return "";
        }
        String s = Normalizer.normalize(Utf16.scrub(prompt), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** FNV-1a 64 of the normalized prompt's UTF-8 bytes. */
    public static long hash(String prompt) {
        long h = 0xcbf29ce484222325L;
        for (byte b : normalize(prompt).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
