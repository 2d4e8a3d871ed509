package org.chatcorpus.preference;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.io.KaggleCsvWriter;

/**
 * The competition's submission file: exactly {@code id,winner_model_a,winner_model_b,winner_tie},
 * one row per input row in input order. Probabilities are written with 6 decimals and the tie
 * column is 1 minus the other two in decimal arithmetic, so every row sums to exactly 1.
 */
public final class Submission {
    public static final String HEADER = "id,winner_model_a,winner_model_b,winner_tie";

    private Submission() {
    }

    public static void write(List<Battle> battles, double[][] p, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (int i = 0; i < battles.size(); i++) {
                BigDecimal a = BigDecimal.valueOf(p[i][0]).setScale(6, RoundingMode.HALF_EVEN);
                BigDecimal b = BigDecimal.valueOf(p[i][1]).setScale(6, RoundingMode.HALF_EVEN);
                if (a.add(b).compareTo(BigDecimal.ONE) > 0) {
                    b = BigDecimal.ONE.subtract(a);
                }
                BigDecimal tie = BigDecimal.ONE.subtract(a).subtract(b);
                out.write(KaggleCsvWriter.idOf(battles.get(i)) + "," + a.toPlainString() + "," + b.toPlainString() + "," + tie.toPlainString());
                out.write('\n');
            }
        }
    }
}
