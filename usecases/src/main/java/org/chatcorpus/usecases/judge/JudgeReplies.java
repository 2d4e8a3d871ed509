package org.chatcorpus.usecases.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads judge replies in the formats FastChat's llm_judge (common.py) and the LMSYS-Chat-1M paper
 * use. Each reader answers empty when the reply holds no value in its format: the caller asks again
 * once and then records an error, never a guessed score.
 */
public final class JudgeReplies {
    /** common.py's one_score_pattern and its fallback; the first match in the reply counts. */
    private static final Pattern ONE_SCORE = Pattern.compile("\\[\\[(\\d+\\.?\\d*)\\]\\]");
    private static final Pattern ONE_SCORE_BACKUP = Pattern.compile("\\[(\\d+\\.?\\d*)\\]");
    /** For a score JSON whose surroundings do not parse (an unquoted reason, a cut reply). */
    private static final Pattern SCORE_VALUE = Pattern.compile("\"score_value\"\\s*:\\s*\"?(\\d+(?:\\.\\d+)?)");
    /** Arena-Hard's seven criteria, as keys of the judge's JSON reply. */
    public static final List<String> ARENA_HARD_CRITERIA = List.of(
            "specificity", "domain_knowledge", "complexity", "problem_solving", "creativity", "technical_accuracy", "real_world");

    private static final ObjectMapper JSON = new ObjectMapper();

    private JudgeReplies() {
    }

    /**
     * A single-answer rating, {@code [[N]]} (so also "Rating: [[N]]"), else the first {@code [N]}:
     * common.py's run_judge_single. Like common.py it takes the number as written (no range check).
     */
    public static Optional<Double> rating(String reply) {
        Matcher m = ONE_SCORE.matcher(reply);
        if (!m.find()) {
            m = ONE_SCORE_BACKUP.matcher(reply);
            if (!m.find()) {
                return Optional.empty();
            }
        }
        return Optional.of(Double.parseDouble(m.group(1)));
    }

    /**
     * A pairwise verdict as common.py's run_judge_pair reads "[[A]]" output: the reply containing
     * {@code [[A]]} is A, else {@code [[B]]} is B, else {@code [[C]]} is a tie (in that order of checks).
     */
    public static Optional<Verdict> verdict(String reply) {
        if (reply.contains("[[A]]")) {
            return Optional.of(Verdict.A);
        }
        if (reply.contains("[[B]]")) {
            return Optional.of(Verdict.B);
        }
        if (reply.contains("[[C]]")) {
            return Optional.of(Verdict.TIE);
        }
        return Optional.empty();
    }

    /**
     * The paper's prompt score: {@code score_value} of the JSON object in the reply (code fences
     * and words around it are allowed), a number from {@code min} to {@code max}.
     */
    public static Optional<Double> scoreValue(String reply, double min, double max) {
        JsonNode obj = jsonObject(reply);
        Double v = null;
        if (obj != null && obj.has("score_value")) {
            JsonNode s = obj.get("score_value");
            if (s.isNumber()) {
                v = s.asDouble();
            } else if (s.isTextual() && s.asText().strip().matches("\\d+(\\.\\d+)?")) {
                v = Double.parseDouble(s.asText().strip());
            }
        } else {
            Matcher m = SCORE_VALUE.matcher(reply);
            if (m.find()) {
                v = Double.parseDouble(m.group(1));
            }
        }
        return v != null && v >= min && v <= max ? Optional.of(v) : Optional.empty();
    }

    /**
     * Arena-Hard's score: how many of the seven criteria the JSON reply marks true. All seven must
     * be present as booleans; else {@code score_value} (0 to 7) is used when it is there.
     */
    public static Optional<Double> criteriaMet(String reply) {
        JsonNode obj = jsonObject(reply);
        if (obj != null && ARENA_HARD_CRITERIA.stream().allMatch(k -> obj.path(k).isBoolean())) {
            return Optional.of((double) ARENA_HARD_CRITERIA.stream().filter(k -> obj.get(k).asBoolean()).count());
        }
        return scoreValue(reply, 0, ARENA_HARD_CRITERIA.size());
    }

    /** The outermost {...} of the reply parsed as JSON, or null. */
    private static JsonNode jsonObject(String reply) {
        int start = reply.indexOf('{');
        int end = reply.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(reply.substring(start, end + 1));
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }
}
