package org.chatcorpus.usecases.judge.pseudolabel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;

/**
 * The Kaggle "LMSYS - Chatbot Arena Human Preference" CSV layout, only as far as pseudo-labels need
 * it: rows of {@code id,prompt,response_a,response_b[,model_a,model_b]} in, the same rows with
 * {@code winner_model_a,winner_model_b,winner_tie} out (Kaggle's train.csv column order). Cells
 * {@code prompt} and {@code response_*} are JSON lists of strings, one per turn ({@code null}
 * items, as Kaggle has for empty answers, read as ""). RFC 4180 via Apache Commons CSV.
 *
 * <p>Kept to this one class on purpose: the battles module's full Kaggle readers can replace it.
 */
public final class KagglePairsCsv {
    /** One pair: the prompts and both sides' responses, turn by turn, with the raw cells to write back unchanged. */
    public record Pair(String id, List<String> prompts, List<String> responsesA, List<String> responsesB,
                       String modelA, String modelB, Map<String, String> rawCells) {
    }

    /** Kaggle train.csv's column order. */
    static final String[] OUTPUT_HEADER = {"id", "model_a", "model_b", "prompt", "response_a", "response_b",
            "winner_model_a", "winner_model_b", "winner_tie"};
    private static final List<String> REQUIRED = List.of("id", "prompt", "response_a", "response_b");
    private static final ObjectMapper JSON = new ObjectMapper();

    private KagglePairsCsv() {
    }

    /** Reads every pair; a row that is not a pair (wrong lists, turn counts that differ) is quarantined with its line. */
    public static List<Pair> read(Path file, Quarantine quarantine) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build();
        List<Pair> pairs = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser csv = CSVParser.parse(in, format)) {
            List<String> header = csv.getHeaderNames();
            for (String column : REQUIRED) {
                if (!header.contains(column)) {
                    throw new IllegalArgumentException(file + ": column `" + column + "` is missing; expected a header with "
                            + "id,prompt,response_a,response_b[,model_a,model_b] (Kaggle layout)");
                }
            }
            boolean models = header.contains("model_a") && header.contains("model_b");
            for (CSVRecord row : csv) {
                String where = "line " + row.getParser().getCurrentLineNumber() + " (record " + row.getRecordNumber() + ")";
                String problem = null;
                Pair pair = null;
                if (!row.isConsistent()) {
                    problem = "row has " + row.size() + " cells, the header " + header.size();
                } else {
                    try {
                        List<String> prompts = turns(row.get("prompt"), "prompt");
                        List<String> a = turns(row.get("response_a"), "response_a");
                        List<String> b = turns(row.get("response_b"), "response_b");
                        if (prompts.isEmpty() || prompts.size() != a.size() || prompts.size() != b.size()) {
                            problem = "prompt, response_a and response_b hold " + prompts.size() + ", " + a.size() + " and "
                                    + b.size() + " turns; they must hold the same number, at least one";
                        } else {
                            pair = new Pair(row.get("id"), prompts, a, b, models ? row.get("model_a") : "", models ? row.get("model_b") : "",
                                    Map.of("prompt", row.get("prompt"), "response_a", row.get("response_a"), "response_b", row.get("response_b")));
                        }
                    } catch (IllegalArgumentException e) {
                        problem = e.getMessage();
                    }
                }
                if (pair != null) {
                    pairs.add(pair);
                } else {
                    quarantine.reject(new QuarantinedRecord(file.toString(), where, problem + "; pair skipped", String.join(",", row.toList())));
                }
            }
        }
        return pairs;
    }

    private static List<String> turns(String cell, String column) {
        JsonNode n;
        try {
            n = JSON.readTree(cell);
        } catch (IOException e) {
            n = null;
        }
        if (n == null || !n.isArray()) {
            throw new IllegalArgumentException("cell `" + column + "` is not a JSON list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : n) {
            if (!t.isTextual() && !t.isNull()) {
                throw new IllegalArgumentException("cell `" + column + "` holds a " + t.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                        + ", expected strings");
            }
            out.add(t.isNull() ? "" : t.asText());
        }
        return out;
    }

    /** Writes labeled rows: each pair with its one-hot winner, in Kaggle train.csv's columns. */
    public static void write(Path file, List<Pair> pairs, List<Label> labels) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".inprogress");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
             CSVPrinter out = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(OUTPUT_HEADER).build())) {
            for (int i = 0; i < pairs.size(); i++) {
                Pair p = pairs.get(i);
                Label l = labels.get(i);
                out.printRecord(p.id(), p.modelA(), p.modelB(), p.rawCells().get("prompt"), p.rawCells().get("response_a"),
                        p.rawCells().get("response_b"), l == Label.MODEL_A ? 1 : 0, l == Label.MODEL_B ? 1 : 0, l == Label.TIE ? 1 : 0);
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A pair's label, one of Kaggle's three winner columns. */
    public enum Label { MODEL_A, MODEL_B, TIE }
}
