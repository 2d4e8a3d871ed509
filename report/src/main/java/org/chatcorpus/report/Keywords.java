package org.chatcorpus.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Cluster keywords by class-based TF-IDF (as BERTopic's c-TF-IDF): all prompts of a cluster form
 * one document; a word's score in cluster c is {@code tf(w, c) * log(1 + A / f(w))}, where tf is
 * its frequency in c divided by c's word count, A the average word count per cluster and f(w) its
 * frequency over all clusters. Words are lower-cased letter/digit runs of 2+ characters with at
 * least one letter, English stop words removed.
 */
public final class Keywords {
    static final Set<String> STOP = Set.copyOf(java.util.Arrays.asList(("a about above after again against all also am an and any are as at be because been "
            + "before being below between both but by can could did do does doing don down during each either else etc ever every "
            + "few for from further get give go got had has have having he her here hers herself him himself his how however i "
            + "if in into is it its itself just let like make many may me might more most much must my myself need no nor not "
            + "now of off on once one only or other our ours ourselves out over own please same say she should so some such "
            + "than that the their theirs them themselves then there these they this those through to too under until up upon "
            + "us use used using very want was way we well were what when where which while who whom why will with within "
            + "without would yes yet you your yours yourself yourselves s t ll re ve d m im dont can't i'm it's you're "
            + "hi hello thanks thank tell know something write don't that's what's i'll i've isn't doesn't didn't won't there's he's she's let's okay ok yeah").split(" ")));

    private Keywords() {
    }

    /** The top {@code top} keywords of each cluster; {@code texts.get(i)} belongs to {@code labels[i]}. */
    public static List<List<String>> classTfIdf(List<String> texts, int[] labels, int k, int top) {
        List<Map<String, long[]>> counts = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            counts.add(new HashMap<>());
        }
        long[] words = new long[k];
        Map<String, long[]> overall = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            for (String w : words(texts.get(i))) {
                counts.get(labels[i]).computeIfAbsent(w, x -> new long[1])[0]++;
                overall.computeIfAbsent(w, x -> new long[1])[0]++;
                words[labels[i]]++;
            }
        }
        double avg = 0;
        for (long w : words) {
            avg += w;
        }
        avg /= Math.max(1, k);
        List<List<String>> out = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            long total = Math.max(1, words[c]);
            double a = avg;
            List<Map.Entry<String, Double>> scored = new ArrayList<>();
            counts.get(c).forEach((w, n) -> scored.add(Map.entry(w,
                    (double) n[0] / total * Math.log(1 + a / overall.get(w)[0]))));
            scored.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            List<String> kw = new ArrayList<>();
            for (int i = 0; i < Math.min(top, scored.size()); i++) {
                kw.add(scored.get(i).getKey());
            }
            out.add(kw);
        }
        return out;
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < lower.length()) {
            int cp = lower.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            boolean letter = false;
            while (i < lower.length()) {
                int c = lower.codePointAt(i);
                if (!Character.isLetterOrDigit(c) && c != '\'') {
                    break;
                }
                letter |= Character.isLetter(c);
                i += Character.charCount(c);
            }
            String w = lower.substring(start, i);
            while (w.endsWith("'")) {
                w = w.substring(0, w.length() - 1);
            }
            if (letter && w.length() >= 2 && w.length() <= 30 && !STOP.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
