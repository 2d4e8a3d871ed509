package org.chatcorpus.pipeline.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds person names in text with the trained {@link NameModel} (by default the one that ships
 * with chatcorpus) and replaces them with NAME_1, NAME_2… Precision and recall on annotated
 * sentences and precision on hand-labelled real chat text are measured in the tests and
 * docs/benchmarks.md.
 */
public final class NameRedactor {
    private final NameModel model;

    public NameRedactor() {
        this(NameModel.get());
    }

    public NameRedactor(NameModel model) {
        this.model = model;
    }

    /** A recognised name: characters [start, end) of the text. */
    public record Span(int start, int end, String text) {
    }

    public List<Span> find(String text) {
        List<int[]> raw = model.spans(text);
        List<Span> spans = new ArrayList<>(raw.size());
        for (int[] s : raw) {
            spans.add(new Span(s[0], s[1], text.substring(s[0], s[1])));
        }
        return spans;
    }

    /**
     * Replaces names with NAME_1, NAME_2…, numbered in order of first appearance; {@code tags}
     * carries the numbering across the messages of one conversation (same name, same tag).
     */
    public String redact(String text, Map<String, String> tags) {
        List<int[]> spans = model.spans(text);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int at = 0;
        for (int[] s : spans) {
            sb.append(text, at, s[0]);
            sb.append(tags.computeIfAbsent(text.substring(s[0], s[1]), k -> "NAME_" + (tags.size() + 1)));
            at = s[1];
        }
        return sb.append(text, at, text.length()).toString();
    }
}
