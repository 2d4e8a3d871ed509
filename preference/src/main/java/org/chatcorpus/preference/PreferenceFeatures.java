package org.chatcorpus.preference;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.core.model.Message;

/**
 * The features strong CPU baselines of the Kaggle competition use, for one battle: per side the
 * response lengths (characters, words, log-scaled), turns, empty (null) responses, markdown
 * structure (list items, headers, code blocks, bold), refusal phrases and word overlap with the
 * prompt, each also as its A−B difference; the prompt's own length; and, when sentence
 * embeddings are given, the cosine of each side to the prompt and the A−B difference of the two
 * response embeddings. A set names which of them a model uses ({@link Kind#LENGTH} is the
 * length-only baseline).
 */
public final class PreferenceFeatures {
    /** Which features: all of them, or the response lengths only (the baseline to beat). */
    public enum Kind { ALL, LENGTH }

    private static final List<String> REFUSALS = List.of("i'm sorry", "i am sorry", "i apologize", "i cannot", "i can't", "i can not",
            "as an ai", "as a language model", "i am unable", "i'm unable", "i'm not able", "i am not able", "cannot fulfill",
            "can't assist", "cannot assist", "not appropriate", "against my", "i won't", "i will not");
    private static final List<String> SIDE = List.of("log_chars", "log_words", "turns", "null_responses", "list_items", "headers",
            "code_blocks", "bold", "refusal", "prompt_overlap");

    private PreferenceFeatures() {
    }

    /** Feature names, in the order {@link #values} gives them. */
    public static List<String> names(Kind kind, int embeddingDims) {
        List<String> out = new ArrayList<>();
        if (kind == Kind.LENGTH) {
            out.add("diff_log_chars");
            out.add("diff_log_words");
            return out;
        }
        for (String f : SIDE) {
            out.add("a_" + f);
            out.add("b_" + f);
            out.add("diff_" + f);
        }
        out.add("prompt_log_chars");
        out.add("prompt_turns");
        if (embeddingDims > 0) {
            out.add("a_prompt_cosine");
            out.add("b_prompt_cosine");
            out.add("diff_prompt_cosine");
            for (int i = 0; i < embeddingDims; i++) {
                out.add(String.format(Locale.ROOT, "diff_emb_%03d", i));
            }
        }
        return out;
    }

    /** The texts a battle's embeddings are taken of: prompt, side A's responses, side B's responses. */
    public static String[] texts(Battle b) {
        return new String[] {join(b.conversationA(), Message.USER), join(b.conversationA(), Message.ASSISTANT),
                join(b.conversationB(), Message.ASSISTANT)};
    }

    /** The values for {@link #names}; {@code emb} is null or {prompt, a, b} unit vectors. */
    public static double[] values(Battle b, Kind kind, float[][] emb) {
        String prompt = join(b.conversationA(), Message.USER);
        double[] a = side(b.conversationA(), prompt);
        double[] c = side(b.conversationB(), prompt);
        if (kind == Kind.LENGTH) {
            return new double[] {a[0] - c[0], a[1] - c[1]};
        }
        int dims = emb == null ? 0 : emb[0].length;
        double[] out = new double[SIDE.size() * 3 + 2 + (dims > 0 ? 3 + dims : 0)];
        int k = 0;
        for (int i = 0; i < SIDE.size(); i++) {
            out[k++] = a[i];
            out[k++] = c[i];
            out[k++] = a[i] - c[i];
        }
        out[k++] = Math.log1p(prompt.length());
        out[k++] = BattleMessage.contents(b.conversationA(), Message.USER).size();
        if (dims > 0) {
            double ca = dot(emb[0], emb[1]);
            double cb = dot(emb[0], emb[2]);
            out[k++] = ca;
            out[k++] = cb;
            out[k++] = ca - cb;
            for (int i = 0; i < dims; i++) {
                out[k++] = emb[1][i] - emb[2][i];
            }
        }
        return out;
    }

    private static double[] side(List<BattleMessage> conv, String prompt) {
        List<String> responses = BattleMessage.contents(conv, Message.ASSISTANT);
        StringBuilder all = new StringBuilder();
        int nulls = 0;
        for (String r : responses) {
            if (r == null) {
                nulls++;
            } else {
                all.append(r).append('\n');
            }
        }
        String text = all.toString();
        int lists = 0;
        int headers = 0;
        for (String line : text.split("\n")) {
            String t = line.stripLeading();
            if (t.startsWith("- ") || t.startsWith("* ") || t.startsWith("+ ") || t.matches("^\\d{1,3}[.)] .*")) {
                lists++;
            } else if (t.startsWith("#")) {
                headers++;
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        double refusal = REFUSALS.stream().anyMatch(lower::contains) ? 1 : 0;
        Set<String> promptWords = words(prompt);
        Set<String> responseWords = words(text);
        int shared = 0;
        for (String w : promptWords) {
            if (responseWords.contains(w)) {
                shared++;
            }
        }
        double overlap = promptWords.isEmpty() ? 0 : (double) shared / promptWords.size();
        return new double[] {Math.log1p(text.length()), Math.log1p(countWords(text)), responses.size(), nulls, Math.log1p(lists),
                Math.log1p(headers), Math.log1p(count(text, "```") / 2), Math.log1p(count(text, "**") / 2), refusal, overlap};
    }

    private static String join(List<BattleMessage> conv, String role) {
        StringBuilder s = new StringBuilder();
        for (String t : BattleMessage.contents(conv, role)) {
            if (t != null) {
                if (s.length() > 0) {
                    s.append('\n');
                }
                s.append(t);
            }
        }
        return s.toString();
    }

    private static Set<String> words(String s) {
        Set<String> out = new HashSet<>();
        for (String w : s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() > 2) {
                out.add(w);
            }
        }
        return out;
    }

    private static int countWords(String s) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            boolean space = Character.isWhitespace(s.charAt(i));
            if (!space && !in) {
                n++;
            }
            in = !space;
        }
        return n;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static double dot(float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }
}
