package org.chatcorpus.battles.rating;

import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.battles.io.BattleLogCleaner;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The arena_33k release's filter_bad_conv.py (detect_type), over battles. The ten most frequent
 * user prompts (lower-cased and stripped, counted over both sides of every battle; ties in order of
 * first appearance, as Python's stable sort over a dict) and the empty prompt are "frequent". Then,
 * for conversation_a and then conversation_b: at most two messages with every prompt shorter than
 * 16 characters is too_short; every prompt frequent is too_frequent; a message (lower-cased)
 * containing "&lt;anonymized&gt;", "&lt;redacted&gt;" or a blocked word is anonymized, redacted,
 * blocked_word. Then model vicuna-33b or mpt-30b-chat is blocked_model, and a flagged
 * openai_moderation is flagged. Blocked words are compared as given against the lower-cased text
 * (the script does not lower-case them, and, unlike the lmsys_chat_1m script, does no t2s folding).
 */
public final class Arena33kFilter {
    static final List<String> BLOCKED_MODELS = List.of("vicuna-33b", "mpt-30b-chat");

    private final Set<String> frequentPrompts;
    private final List<String> blockedWords;

    private Arena33kFilter(Set<String> frequentPrompts, List<String> blockedWords) {
        this.frequentPrompts = frequentPrompts;
        this.blockedWords = blockedWords;
    }

    /** The filter for this set of battles (its frequent prompts are counted over all of them). */
    public static Arena33kFilter over(List<Battle> battles, List<String> blockedWords) {
        Map<String, long[]> frequency = new LinkedHashMap<>();
        for (Battle b : battles) {
            for (List<BattleMessage> side : List.of(b.conversationA(), b.conversationB())) {
                for (BattleMessage m : side) {
                    if (m.isUser()) {
                        frequency.computeIfAbsent(normalise(m.text()), k -> new long[1])[0]++;
                    }
                }
            }
        }
        List<String> keys = new ArrayList<>(frequency.keySet());
        keys.sort((x, y) -> Long.compare(frequency.get(y)[0], frequency.get(x)[0])); // stable: ties keep first appearance
        Set<String> frequent = new HashSet<>(keys.subList(0, Math.min(10, keys.size())));
        frequent.add("");
        return new Arena33kFilter(frequent, List.copyOf(blockedWords));
    }

    Set<String> frequentPrompts() {
        return frequentPrompts;
    }

    /** The reason to drop this battle, or null to keep it. */
    public String reason(Battle b) {
        for (List<BattleMessage> side : List.of(b.conversationA(), b.conversationB())) {
            List<String> prompts = side.stream().filter(BattleMessage::isUser).map(m -> normalise(m.text())).toList();
            if (side.size() <= 2 && prompts.stream().allMatch(p -> p.codePointCount(0, p.length()) < 16)) {
                return "too_short";
            }
            if (prompts.stream().allMatch(frequentPrompts::contains)) {
                return "too_frequent";
            }
            for (BattleMessage m : side) {
                String text = m.text().toLowerCase(Locale.ROOT);
                if (text.contains("<anonymized>")) {
                    return "anonymized";
                }
                if (text.contains("<redacted>")) {
                    return "redacted";
                }
                for (String w : blockedWords) {
                    if (text.contains(w)) {
                        return "blocked_word";
                    }
                }
            }
        }
        if (BLOCKED_MODELS.contains(b.modelA()) || BLOCKED_MODELS.contains(b.modelB())) {
            return "blocked_model";
        }
        com.fasterxml.jackson.databind.JsonNode moderation = b.extra().get("openai_moderation");
        if (moderation != null && moderation.path("flagged").asBoolean(false)) {
            return "flagged";
        }
        return null;
    }

    /** Python's {@code s.lower().strip()}: strip removes what str.isspace calls whitespace, no-break spaces included. */
    static String normalise(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        int start = 0;
        int end = lower.length();
        while (start < end && isPythonSpace(lower.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(lower.charAt(end - 1))) {
            end--;
        }
        return lower.substring(start, end);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
