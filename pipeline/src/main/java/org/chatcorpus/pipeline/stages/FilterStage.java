package org.chatcorpus.pipeline.stages;

import com.github.houbb.opencc4j.util.ZhConverterUtil;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.pipeline.Stage;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * Drops conversations unfit for release, as FastChat's filter_bad_conv.py (lmsys_chat_1m,
 * detect_type): each message is lower-cased and folded from Traditional to Simplified Chinese (their
 * OpenCC t2s step; here opencc4j), then a message containing "&lt;anonymized&gt;" or
 * "&lt;redacted&gt;" or a blocked word drops the conversation. Blocked models (arena_33k's
 * filter_bad_conv.py; the lmsys_chat_1m script has the type code but never returns it) and, with
 * {@code dropFlagged}, a conversation with a flagged message are dropped too. Reasons are counted as
 * the seed names them: anonymized, redacted, blocked_word, blocked_model, flagged. The network-error
 * notice is clean_chat_data.py's rule: {@link NetworkErrorStage}.
 */
public record FilterStage(List<String> blockedWords, List<String> blockedModels, boolean dropFlagged) implements Stage {
    public FilterStage {
        // Blocked words are folded once, the same way as the text they are compared with.
        blockedWords = blockedWords == null ? List.of() : blockedWords.stream().map(FilterStage::fold).filter(w -> !w.isBlank()).toList();
        blockedModels = blockedModels == null ? List.of() : List.copyOf(blockedModels);
    }

    @Override
    public String name() {
        return "filter";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blockedWords", blockedWords.size() + " words");
        m.put("blockedModels", blockedModels);
        m.put("dropFlagged", dropFlagged);
        return m;
    }

    @Override
    public Map<String, String> tools() {
        return Map.of("t2s", "opencc4j (Traditional->Simplified Chinese)");
    }

    static String fold(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return containsHan(lower) ? ZhConverterUtil.toSimple(lower) : lower;
    }

    private static boolean containsHan(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            // No Han character lies below U+2E80: skip the script lookup for everything else.
            if (ch >= '\u2E80' && Character.UnicodeScript.of(ch) == Character.UnicodeScript.HAN) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code text} contains the ASCII lower-case {@code needle} ignoring case: the same
     * answer as {@code fold(text).contains(needle)} for ASCII needles, without copying the text
     * (folding to Simplified Chinese never creates or removes ASCII letters).
     */
    static boolean containsAsciiIgnoreCase(String text, String needle) {
        char first = needle.charAt(0);
        char firstUpper = Character.toUpperCase(first);
        for (int i = 0, last = text.length() - needle.length(); i <= last; i++) {
            char ch = text.charAt(i);
            if ((ch == first || ch == firstUpper) && text.regionMatches(true, i, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public StageOutcome process(Conversation c) {
        if (blockedModels.contains(c.model())) {
            return StageOutcome.drop("blocked_model");
        }
        for (Message m : c.conversation()) {
            // The fixed markers are ASCII: matched without folding. Only blocked words (which may be
            // Chinese) need the folded text, and only when there are any.
            String raw = m.content();
            if (containsAsciiIgnoreCase(raw, "<anonymized>")) {
                return StageOutcome.drop("anonymized");
            }
            if (containsAsciiIgnoreCase(raw, "<redacted>")) {
                return StageOutcome.drop("redacted");
            }
            if (!blockedWords.isEmpty()) {
                String text = fold(raw);
                for (String w : blockedWords) {
                    if (text.contains(w)) {
                        return StageOutcome.drop("blocked_word");
                    }
                }
            }
        }
        if (dropFlagged && c.flagged()) {
            return StageOutcome.drop("flagged");
        }
        return StageOutcome.keep(c);
    }
}
