package org.chatcorpus.core.model;

import java.util.Arrays;

/**
 * The moderation result of one message, as the OpenAI moderation endpoint returns it and as
 * LMSYS-Chat-1M stores it: 11 category booleans, 11 category scores, and flagged.
 * Arrays are indexed by {@link ModerationCategory#ordinal()} and copied in and out, so an
 * instance is immutable.
 */
public final class Moderation {
    private final boolean[] categories;
    private final double[] scores;
    private final boolean flagged;

    public Moderation(boolean[] categories, double[] scores, boolean flagged) {
        if (categories.length != ModerationCategory.COUNT || scores.length != ModerationCategory.COUNT) {
            throw new IllegalArgumentException("moderation needs " + ModerationCategory.COUNT
                    + " categories and scores, got " + categories.length + " and " + scores.length);
        }
        this.categories = categories.clone();
        this.scores = scores.clone();
        this.flagged = flagged;
    }

    /** A result with every category false, every score 0 and not flagged. */
    public static Moderation clean() {
        return new Moderation(new boolean[ModerationCategory.COUNT], new double[ModerationCategory.COUNT], false);
    }

    public boolean category(ModerationCategory c) {
        return categories[c.ordinal()];
    }

    public double score(ModerationCategory c) {
        return scores[c.ordinal()];
    }

    public boolean[] categories() {
        return categories.clone();
    }

    public double[] scores() {
        return scores.clone();
    }

    public boolean flagged() {
        return flagged;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Moderation m && flagged == m.flagged
                && Arrays.equals(categories, m.categories) && Arrays.equals(scores, m.scores);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(categories) + Arrays.hashCode(scores)) + Boolean.hashCode(flagged);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Moderation{flagged=").append(flagged);
        for (ModerationCategory c : ModerationCategory.all()) {
            if (categories[c.ordinal()]) {
                sb.append(", ").append(c.label()).append('=').append(scores[c.ordinal()]);
            }
        }
        return sb.append('}').toString();
    }
}
