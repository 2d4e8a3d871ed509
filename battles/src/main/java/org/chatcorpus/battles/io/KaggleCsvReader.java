package org.chatcorpus.battles.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.core.io.InputStreams;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.io.RecordException;

/**
 * The Kaggle "LMSYS – Chatbot Arena Human Preference Predictions" CSV, parsed as RFC 4180 by
 * Commons CSV (cells hold newlines, quotes and commas). Layouts, told apart by the header:
 * <ul>
 *   <li>train: {@code id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie};</li>
 *   <li>test: {@code id,prompt,response_a,response_b} (no models, no label);</li>
 *   <li>unlabeled pairs: test plus model_a, model_b (what {@code pairs} writes).</li>
 * </ul>
 * Each side is the prompt list interleaved with its response list (the real data has lists of
 * unequal length and null items, both kept). The competition counts both kinds of tie as
 * winner_tie, so a tie reads as "tie". A row whose cells are not JSON lists, or whose label is not
 * exactly one 1 among the three winner columns, is quarantined.
 */
final class KaggleCsvReader implements BattleReader {
    static final String FORMAT = "kaggle";
    private static final List<String> REQUIRED = List.of("id", "prompt", "response_a", "response_b");
    private static final List<String> LABELS = List.of("winner_model_a", "winner_model_b", "winner_tie");
    private static final Set<String> KNOWN = Set.of("id", "model_a", "model_b", "prompt", "response_a", "response_b",
            "winner_model_a", "winner_model_b", "winner_tie");

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String header = (end < 0 ? text : text.substring(0, end)).replace("\uFEFF", "").replace("\"", "").trim();
        List<String> cols = List.of(header.split(",", -1));
        return cols.containsAll(REQUIRED);
    }

    @Override
    public void read(Path file, Consumer<Battle> sink, Quarantine quarantine) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build();
        try (Reader in = new BufferedReader(new InputStreamReader(InputStreams.open(file), StandardCharsets.UTF_8), 1 << 16)) {
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
            try (CSVParser parser = format.parse(in)) {
                List<String> header = parser.getHeaderNames();
                for (String col : REQUIRED) {
                    if (!header.contains(col)) {
                        quarantine.reject(new QuarantinedRecord(file.toString(), "header", "column `" + col
                                + "` is missing; expected the Kaggle layout id,[model_a,model_b,]prompt,response_a,response_b[,winner_model_a,winner_model_b,winner_tie]; file skipped",
                                String.join(",", header)));
                        return;
                    }
                }
                boolean labeled = header.containsAll(LABELS);
                Iterator<CSVRecord> rows = parser.iterator();
                long lastLine = 1;
                while (true) {
                    CSVRecord row;
                    try {
                        if (!rows.hasNext()) {
                            break;
                        }
                        row = rows.next();
                    } catch (UncheckedIOException | IllegalStateException e) {
                        quarantine.reject(new QuarantinedRecord(file.toString(), "after line " + lastLine,
                                "CSV broken here (an unclosed quote?); the rest of the file is unreadable: " + e.getMessage(), ""));
                        return;
                    }
                    String where = "record " + row.getRecordNumber() + " (line " + (lastLine + 1) + ")";
                    lastLine = parser.getCurrentLineNumber();
                    try {
                        if (!row.isConsistent()) {
                            throw new RecordException("row has " + row.size() + " fields, the header " + header.size());
                        }
                        sink.accept(map(row, header, labeled));
                    } catch (RecordException e) {
                        quarantine.reject(new QuarantinedRecord(file.toString(), where, e.getMessage(), String.join(",", row.values())));
                    }
                }
            }
        }
    }

    private static Battle map(CSVRecord row, List<String> header, boolean labeled) throws RecordException {
        String id = row.get("id");
        String modelA = header.contains("model_a") ? row.get("model_a") : "";
        String modelB = header.contains("model_b") ? row.get("model_b") : "";
        List<String> prompt = KaggleCells.parse(row.get("prompt"), "prompt");
        List<String> responseA = KaggleCells.parse(row.get("response_a"), "response_a");
        List<String> responseB = KaggleCells.parse(row.get("response_b"), "response_b");
        Winner winner = labeled ? winner(row) : null;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (String col : header) {
            if (!KNOWN.contains(col)) {
                extra.put(col, TextNode.valueOf(row.get(col)));
            }
        }
        List<BattleMessage> a = BattleMessage.interleave(prompt, responseA);
        List<BattleMessage> b = BattleMessage.interleave(prompt, responseB);
        return new Battle(id, modelA, modelB, winner, "", a, b, prompt.size(), true, "", Double.NaN, extra);
    }

    private static Winner winner(CSVRecord row) throws RecordException {
        Winner w = null;
        int ones = 0;
        for (int i = 0; i < LABELS.size(); i++) {
            String v = row.get(LABELS.get(i)).trim();
            if (v.equals("1") || v.equals("1.0") || v.equalsIgnoreCase("true")) {
                ones++;
                w = i == 0 ? Winner.MODEL_A : i == 1 ? Winner.MODEL_B : Winner.TIE;
            } else if (!(v.equals("0") || v.equals("0.0") || v.equalsIgnoreCase("false"))) {
                throw new RecordException("field `" + LABELS.get(i) + "` is '" + v + "', expected 0 or 1");
            }
        }
        if (ones != 1) {
            throw new RecordException("winner_model_a, winner_model_b, winner_tie are " + row.get(LABELS.get(0)) + ","
                    + row.get(LABELS.get(1)) + "," + row.get(LABELS.get(2)) + "; expected exactly one 1");
        }
        return w;
    }
}
