package org.chatcorpus.preference;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one normalisation under which two prompts count as "the same": Unicode NFKC, lower case
 * (root locale), runs of whitespace as one space, trimmed. Used to pair conversations and to
 * measure exact prompt overlap between corpora.
 */
public final class PromptKey {
    private PromptKey() {
    }

    public static String of(String prompt) {
        if (prompt == null) {
            return "";
        }
        String n = Normalizer.normalize(prompt, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(n.length());
        boolean space = false;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
