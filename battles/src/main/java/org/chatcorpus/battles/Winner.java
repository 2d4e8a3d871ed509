package org.chatcorpus.battles;

import java.util.Locale;

/**
 * The outcome of one battle, with FastChat's labels (clean_battle_data.py's convert_type):
 * leftvote -> "model_a", rightvote -> "model_b", tievote -> "tie", bothbad_vote -> "tie (bothbad)".
 */
public enum Winner {
    MODEL_A("model_a", 1.0),
    MODEL_B("model_b", 0.0),
    TIE("tie", 0.5),
    TIE_BOTHBAD("tie (bothbad)", 0.5);

    private final String label;
    private final double scoreA;

    Winner(String label, double scoreA) {
        this.label = label;
        this.scoreA = scoreA;
    }

    /** FastChat's label, as in the Chatbot Arena conversations layout's {@code winner} column. */
    public String label() {
        return label;
    }

    /** Model A's score: 1 for a win, 0.5 for either kind of tie, 0 for a loss (elo_analysis.py). */
    public double scoreA() {
        return scoreA;
    }

    public boolean isTie() {
        return this == TIE || this == TIE_BOTHBAD;
    }

    /** The same outcome seen with the sides swapped. */
    public Winner swapped() {
        return this == MODEL_A ? MODEL_B : this == MODEL_B ? MODEL_A : this;
    }

    /** The winner for a FastChat vote event type, or null when the type is not a vote. */
    public static Winner ofVoteType(String type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "leftvote" -> MODEL_A;
            case "rightvote" -> MODEL_B;
            case "tievote" -> TIE;
            case "bothbad_vote" -> TIE_BOTHBAD;
            default -> null;
        };
    }

    /**
     * The winner for a label as the public releases spell it: FastChat's four labels, and the later
     * Arena releases' "both_bad" / "tie (bothbad)" spellings of the same vote.
     */
    public static Winner ofLabel(String label) {
        for (Winner w : values()) {
            if (w.label.equals(label)) {
                return w;
            }
        }
        String l = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
        return switch (l) {
            case "model_a", "a" -> MODEL_A;
            case "model_b", "b" -> MODEL_B;
            case "tie" -> TIE;
            case "both_bad", "bothbad", "tie(bothbad)", "tie (bothbad)", "tie_bothbad" -> TIE_BOTHBAD;
            default -> throw new IllegalArgumentException("unknown winner '" + label
                    + "'; expected model_a, model_b, tie or tie (bothbad)");
        };
    }
}
