package org.chatcorpus.usecases.judge.mtbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.usecases.judge.JudgeClient;
import org.chatcorpus.usecases.judge.JudgePrompt;
import org.chatcorpus.usecases.judge.JudgePrompts;
import org.chatcorpus.usecases.judge.JudgeReplies;
import org.chatcorpus.usecases.judge.Judgment;

/**
 * Single-answer grading as gen_judgment.py's "single" mode: a 1–10 rating of each model's first
 * answer (single-v1, or single-math-v1 with the reference for math/reasoning/coding), and of its
 * second answer for two-turn questions (the multi-turn prompts). Scores per model as
 * show_result.py: the mean of turn 1, of turn 2, and of all turns; unreadable judgments are left
 * out of the means (FastChat's -1; here an error with no score).
 */
final class SingleGrading {
    record Match(String model, Question question, int turn, JudgePrompt prompt, Map<String, String> values) {
    }

    record Row(Match match, Judgment<Double> judgment) {
    }

    private SingleGrading() {
    }

    static List<Match> matches(List<Question> questions, Answers.Result answers) {
        List<Match> out = new ArrayList<>();
        for (int turn = 1; turn <= 2; turn++) {
            for (Question q : questions) {
                for (Map.Entry<String, Map<String, Answers.Answer>> e : answers.byModel().entrySet()) {
                    Answers.Answer a = e.getValue().get(q.idText());
                    if (a == null || (turn == 2 && (q.turns().size() != 2 || a.turns().size() != 2))) {
                        continue;
                    }
                    out.add(turn == 1 ? first(e.getKey(), q, a) : second(e.getKey(), q, a));
                }
            }
        }
        return out;
    }

    private static Match first(String model, Question q, Answers.Answer a) {
        Map<String, String> v = new HashMap<>();
        v.put("question", q.turns().get(0));
        v.put("answer", a.turns().get(0));
        boolean ref = q.hasReference(1);
        if (ref) {
            v.put("ref_answer_1", q.reference().get(0));
        }
        return new Match(model, q, 1, JudgePrompts.get(ref ? JudgePrompts.SINGLE_MATH : JudgePrompts.SINGLE), v);
    }

    private static Match second(String model, Question q, Answers.Answer a) {
        Map<String, String> v = new HashMap<>();
        v.put("question_1", q.turns().get(0));
        v.put("question_2", q.turns().get(1));
        v.put("answer_1", a.turns().get(0));
        v.put("answer_2", a.turns().get(1));
        boolean ref = q.hasReference(2);
        if (ref) {
            v.put("ref_answer_1", q.reference().get(0));
            v.put("ref_answer_2", q.reference().get(1));
        }
        return new Match(model, q, 2, JudgePrompts.get(ref ? JudgePrompts.SINGLE_MATH_MULTI_TURN : JudgePrompts.SINGLE_MULTI_TURN), v);
    }

    static List<Row> judge(List<Match> matches, ModelEndpoint judge, JudgeClient client) {
        List<ModelCalls.Outcome<Judgment<Double>>> outcomes = client.map(matches, "judging",
                m -> client.judge(judge, m.prompt(), m.values(), JudgeReplies::rating));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            ModelCalls.Outcome<Judgment<Double>> o = outcomes.get(i);
            rows.add(new Row(matches.get(i), o.ok() ? o.value() : new Judgment<>(null, "", "", o.error())));
        }
        return rows;
    }

    /** A model_judgment line: common.py's play_a_match_single record, without tstamp; {@code error} when there is no score. */
    static ObjectNode record(Row r, String judgeName, ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.set("question_id", r.match().question().id());
        n.put("model", r.match().model());
        n.putArray("judge").add(judgeName).add(r.match().prompt().name());
        n.put("user_prompt", r.judgment().userPrompt());
        n.put("judgment", r.judgment().reply());
        if (r.judgment().ok()) {
            n.put("score", r.judgment().value());
        } else {
            n.putNull("score");
            n.put("error", r.judgment().error());
        }
        n.put("turn", r.match().turn());
        return n;
    }

    /** {@code {"models": {NAME: {"turn1", "turn2", "average"}}}}, models in the order given. */
    static ObjectNode results(List<Row> rows, List<String> models, ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        ObjectNode byModel = root.putObject("models");
        for (String model : models) {
            double[] sum = new double[3];
            int[] n = new int[3];
            for (Row r : rows) {
                if (r.match().model().equals(model) && r.judgment().ok()) {
                    int t = r.match().turn();
                    sum[t] += r.judgment().value();
                    n[t]++;
                    sum[0] += r.judgment().value();
                    n[0]++;
                }
            }
            ObjectNode m = byModel.putObject(model);
            putMean(m, "turn1", sum[1], n[1]);
            putMean(m, "turn2", sum[2], n[2]);
            putMean(m, "average", sum[0], n[0]);
        }
        return root;
    }

    private static void putMean(ObjectNode node, String key, double sum, int n) {
        if (n == 0) {
            node.putNull(key);
        } else {
            node.put(key, sum / n);
        }
    }

    /** The score table, best average first (ties by name). */
    static List<String> table(ObjectNode results) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        results.path("models").fields().forEachRemaining(e -> rows.put(e.getKey(), new double[] {
                value(e.getValue().path("turn1")), value(e.getValue().path("turn2")), value(e.getValue().path("average"))}));
        List<String> names = new ArrayList<>(rows.keySet());
        names.sort(Comparator.comparingDouble((String m) -> Double.isNaN(rows.get(m)[2]) ? Double.NEGATIVE_INFINITY : rows.get(m)[2])
                .reversed().thenComparing(Comparator.naturalOrder()));
        int width = Math.max(5, names.stream().mapToInt(String::length).max().orElse(5));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-" + width + "s %7s %7s %8s", "model", "turn 1", "turn 2", "average"));
        for (String m : names) {
            double[] v = rows.get(m);
            lines.add(String.format(Locale.ROOT, "%-" + width + "s %7s %7s %8s", m, fmt(v[0]), fmt(v[1]), fmt(v[2])));
        }
        return lines;
    }

    private static double value(com.fasterxml.jackson.databind.JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
