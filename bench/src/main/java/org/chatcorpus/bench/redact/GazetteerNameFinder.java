package org.chatcorpus.bench.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name recogniser chatcorpus used before the trained model (kept here only as the peer of
 * NameBench, unchanged): finds person names in text, offline: a gazetteer of first and last names (datafaker's lists of
 * 13 locales) combined with capitalisation and context rules —
 * <ul>
 *   <li>a known first name, optionally followed by up to two capitalised words (surnames);</li>
 *   <li>a capitalised known last name after a title (Mr, Mrs, Ms, Dr, Prof…);</li>
 *   <li>any capitalised word after "my name is", "I am", "I'm", "named", "called", "this is" or a title.</li>
 * </ul>
 * Never inside code (``` fences or `inline code`), never model names (Vicuna, LLaMA, Claude…),
 * months, weekdays, or ambiguous first names ("Will", "May", "Grace"…) standing alone at the
 * start of a sentence. Precision and recall on real annotated sentences are measured in the tests
 * and docs/benchmarks.md; this is a heuristic recogniser, not a statistical NER model.
 */
public final class GazetteerNameFinder {
    private static final Pattern WORD = Pattern.compile("\\p{Lu}[\\p{L}'’-]*");
    private static final Pattern CODE = Pattern.compile("```.*?(```|\\z)|`[^`\\n]*`", Pattern.DOTALL);
    private static final Set<String> TITLES = Set.of("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Madam", "Mister", "Doctor");
    private static final Set<String> CUES = Set.of("my name is", "i am", "i'm", "named", "called", "this is", "name:", "dear");
    private static final Set<String> NEVER = Set.of("Vicuna", "LLaMA", "Llama", "Alpaca", "Koala", "Claude", "GPT", "ChatGPT", "Bard",
            "PaLM", "Palm", "ChatGLM", "Dolly", "Guanaco", "Wizard", "WizardLM", "Mistral", "Gemini", "Falcon", "Orca", "Vicuña",
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "God", "Jesus", "Christ", "English",
            "French", "German", "Spanish", "Chinese", "Python", "Java", "Ruby", "Rust", "Swift", "Julia", "Go", "Scala", "Kotlin",
            "AI", "I", "OK", "Assistant", "User", "Human", "NAME", "USER", "ASSISTANT");
    private static final Set<String> AMBIGUOUS = Set.of("Will", "Grace", "Hope", "Faith", "Joy", "Mark", "Bill", "Rose", "Summer",
            "Autumn", "Pat", "Sue", "Art", "Jack", "Ray", "Dean", "Hunter", "Page", "Sky", "Rich", "Chase", "Max", "Frank", "Miles",
            "Lily", "Iris", "Ivy", "Holly", "Amber", "Ruby", "Crystal", "Dawn", "Eve", "Guy", "Don", "Gene", "Carol", "Trinity",
            "Royal", "Young", "Long", "Green", "Brown", "White", "Black", "Gray", "King", "Love", "Star", "Angel", "Major", "Rock",
            "Price", "Case", "Lane", "Stone", "Bishop", "Hall", "Wood", "Hill", "Cook", "Bell", "Rice", "Early", "Best", "Little",
            "Sharp", "Moon", "Day", "Field", "Church", "Walker", "West", "North", "South", "East", "Christian", "Kelly");

    /** Places that are also given names in some locale ("France", "Paris", "Georgia"…): never names here. */
    private static final Set<String> PLACES = places();

    private final Gazetteer gazetteer = Gazetteer.get();

    private static Set<String> places() {
        Set<String> p = new java.util.HashSet<>();
        for (String cc : Locale.getISOCountries()) {
            for (String w : new Locale("", cc).getDisplayCountry(Locale.ENGLISH).split("[ ,()]+")) {
                if (!w.isEmpty()) {
                    p.add(w);
                }
            }
        }
        for (String lang : Locale.getISOLanguages()) {
            p.add(new Locale(lang).getDisplayLanguage(Locale.ENGLISH)); // "Georgian", "Kannada"…
        }
        p.addAll(List.of("Paris", "London", "Berlin", "Madrid", "Rome", "Vienna", "Moscow", "Tokyo", "Beijing", "Shanghai", "Sydney",
                "Dallas", "Houston", "Austin", "Phoenix", "Denver", "Boston", "Chicago", "Atlanta", "Orlando", "Florence", "Victoria",
                "Alexandria", "Sofia", "Lima", "Santiago", "Valencia", "Sevilla", "Jackson", "Lincoln", "Washington", "Charlotte",
                "Savannah", "Regina", "Adelaide", "Brisbane", "Melbourne", "Montreal", "Toronto", "Vancouver", "Florida", "Virginia",
                "Carolina", "Georgia", "Dakota", "Indiana", "Nevada", "California", "Texas", "Asia", "Africa", "Europe", "America"));
        return Set.copyOf(p);
    }

    /** A recognised name: characters [start, end) of the text. */
    public record Span(int start, int end, String text) {
    }

    public List<Span> find(String text) {
        boolean[] code = new boolean[text.length() + 1];
        Matcher cm = CODE.matcher(text);
        while (cm.find()) {
            for (int i = cm.start(); i < cm.end(); i++) {
                code[i] = true;
            }
        }
        List<int[]> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            if (!code[m.start()]) {
                words.add(new int[] {m.start(), m.end()});
            }
        }
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            int[] w = words.get(i);
            String token = text.substring(w[0], w[1]);
            if (NEVER.contains(token) || PLACES.contains(token) || token.length() < 2 || isAllCaps(token)) {
                continue;
            }
            String before = text.substring(Math.max(0, w[0] - 14), w[0]).toLowerCase(Locale.ROOT).stripTrailing();
            boolean afterTitle = precededByTitle(text, w[0]);
            boolean cue = afterTitle || CUES.stream().anyMatch(before::endsWith);
            // Two-letter gazetteer entries ("In", "An", "Al") are far more often words than names.
            boolean first = token.length() > 2 && gazetteer.firstNames.contains(token);
            int end = i;
            // extend over following capitalised words separated by a single space (surnames)
            while (end + 1 < words.size() && end - i < 2) {
                int[] nx = words.get(end + 1);
                String gap = text.substring(words.get(end)[1], nx[0]);
                String next = text.substring(nx[0], nx[1]);
                if (!gap.equals(" ") || NEVER.contains(next) || PLACES.contains(next) || isAllCaps(next)) {
                    break;
                }
                if (!(gazetteer.lastNames.contains(next) || gazetteer.firstNames.contains(next) || first || cue)) {
                    break;
                }
                end++;
            }
            boolean extended = end > i;
            boolean sentenceStart = sentenceStart(text, w[0]);
            boolean accept;
            if (cue) {
                accept = true;
            } else if (first) {
                accept = !(AMBIGUOUS.contains(token) && !extended) && !(sentenceStart && !extended && isCommonWordStart(token));
            } else {
                accept = false; // a surname alone, without a first name, title or cue, is too ambiguous
            }
            if (accept) {
                int s = w[0];
                int e = words.get(end)[1];
                spans.add(new Span(s, e, text.substring(s, e)));
                i = end;
            }
        }
        return spans;
    }

    private static boolean isAllCaps(String t) {
        return t.length() > 1 && t.equals(t.toUpperCase(Locale.ROOT));
    }

    private static boolean precededByTitle(String text, int pos) {
        int j = pos - 1;
        while (j >= 0 && text.charAt(j) == ' ') {
            j--;
        }
        if (j >= 0 && text.charAt(j) == '.') {
            j--;
        }
        int e = j + 1;
        while (j >= 0 && Character.isLetter(text.charAt(j))) {
            j--;
        }
        return e > j + 1 && TITLES.contains(text.substring(j + 1, e));
    }

    private static boolean sentenceStart(String text, int pos) {
        int j = pos - 1;
        while (j >= 0 && (text.charAt(j) == ' ' || text.charAt(j) == '"' || text.charAt(j) == '\'')) {
            j--;
        }
        return j < 0 || ".!?\n:".indexOf(text.charAt(j)) >= 0;
    }

    /** First names that double as sentence openers; alone at a sentence start they are not names. */
    private static boolean isCommonWordStart(String token) {
        return AMBIGUOUS.contains(token);
    }

    /**
     * Replaces names with NAME_1, NAME_2…, numbered in order of first appearance; {@code tags}
     * carries the numbering across the messages of one conversation (same name, same tag).
     */
    public String redact(String text, Map<String, String> tags) {
        List<Span> spans = find(text);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int at = 0;
        for (Span s : spans) {
            sb.append(text, at, s.start());
            sb.append(tags.computeIfAbsent(s.text(), k -> "NAME_" + (tags.size() + 1)));
            at = s.end();
        }
        return sb.append(text, at, text.length()).toString();
    }

    static final class Gazetteer {
        static final List<String> LOCALES = List.of("en", "en-US", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "tr", "id", "vi");

        static final class Holder {
            static final Gazetteer INSTANCE = load();
        }

        final Set<String> firstNames = new HashSet<>();
        final Set<String> lastNames = new HashSet<>();

        private Gazetteer() {
        }

        static Gazetteer get() {
            return Holder.INSTANCE;
        }

        private static Gazetteer load() {
            Gazetteer g = new Gazetteer();
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            for (String locale : LOCALES) {
                try (InputStream in = GazetteerNameFinder.class.getClassLoader().getResourceAsStream(locale + "/name.yml")) {
                    if (in == null) {
                        continue;
                    }
                    JsonNode names = yaml.readTree(in).path(locale).path("faker").path("name");
                    for (String field : List.of("first_name", "male_first_name", "female_first_name")) {
                        names.path(field).forEach(n -> addPlain(g.firstNames, n.asText()));
                    }
                    names.path("last_name").forEach(n -> addPlain(g.lastNames, n.asText()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the " + locale + " name list from the datafaker jar", e);
                }
            }
            return g;
        }

        /** Keeps only plain entries (datafaker also has template entries like "#{female_first_name}"). */
        private static void addPlain(Set<String> set, String name) {
            if (!name.isEmpty() && !name.contains("#") && !name.contains("{") && Character.isUpperCase(name.charAt(0))) {
                set.add(name);
            }
        }
    }
}
