package org.chatcorpus.usecases.judge.mtbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;

/**
 * Reads an MT-bench question file (JSON lines). A line that is not a question (not JSON, no
 * question_id, no non-empty list of string turns, a repeated id) is quarantined with its reason.
 */
public final class QuestionFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QuestionFile() {
    }

    public static List<Question> read(Path file, Quarantine quarantine) throws IOException {
        List<Question> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String problem;
            try {
                JsonNode n = JSON.readTree(line);
                problem = problem(n);
                if (problem == null && !ids.add(n.get("question_id").asText())) {
                    problem = "question_id " + n.get("question_id") + " repeats an earlier line";
                }
                if (problem == null) {
                    out.add(new Question(n.get("question_id"), n.path("category").asText(""), strings(n.get("turns")),
                            n.path("reference").isArray() ? strings(n.get("reference")) : List.of(),
                            n.path("required_temperature").isNumber() ? n.get("required_temperature").asDouble() : null));
                    continue;
                }
            } catch (IOException e) {
                problem = "not valid JSON";
            }
            quarantine.reject(new QuarantinedRecord(file.toString(), "line " + (i + 1), problem + "; question skipped", line));
        }
        return out;
    }

    private static String problem(JsonNode n) {
        if (n == null || !n.isObject()) {
            return "not a JSON object";
        }
        if (!n.path("question_id").isValueNode() || n.path("question_id").isNull()) {
            return "field `question_id` is missing";
        }
        JsonNode turns = n.path("turns");
        if (!turns.isArray() || turns.isEmpty()) {
            return "field `turns` is not a non-empty list";
        }
        for (JsonNode t : turns) {
            if (!t.isTextual()) {
                return "field `turns` holds a " + t.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", expected text";
            }
        }
        return null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(t -> out.add(t.isNull() ? "" : t.asText()));
        return out;
    }
}
