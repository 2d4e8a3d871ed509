package org.chatcorpus.usecases.judge;

/** A pairwise judge's verdict on answers shown as A and B: {@code [[A]]}, {@code [[B]]} or {@code [[C]]} (tie). */
public enum Verdict {
    A, B, TIE;

    /** The verdict with the two answers' places swapped (for the second, reversed game). */
    public Verdict swapped() {
        return switch (this) {
            case A -> B;
            case B -> A;
            case TIE -> TIE;
        };
    }
}
