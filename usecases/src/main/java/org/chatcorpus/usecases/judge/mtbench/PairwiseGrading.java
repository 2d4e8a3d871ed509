package org.chatcorpus.usecases.judge.mtbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
import org.chatcorpus.usecases.judge.Verdict;

/**
 * Pairwise grading as gen_judgment.py's pairwise modes: every pair of models (pairwise-all), or
 * every model against a baseline (pairwise-baseline), on each question's first turn and, for
 * two-turn questions, its second; each pair judged twice with the answers' places swapped (g1: model_1
 * as A, g2: model_2 as A). Tallied as show_result.py: a game with an error on either side is left
 * out; a tie in g1 or games that disagree count as a tie for both models.
 */
final class PairwiseGrading {
    record Match(String model1, String model2, Question question, int turn, JudgePrompt prompt,
                 Map<String, String> g1, Map<String, String> g2) {
    }

    /** Winner names as common.py writes them: model_1, model_2, tie, error. */
    record Row(Match match, Judgment<Verdict> g1, Judgment<Verdict> g2) {
        String g1Winner() {
            return name(g1, false);
        }

        String g2Winner() {
            return name(g2, true);
        }

        private static String name(Judgment<Verdict> j, boolean swapped) {
            if (!j.ok()) {
                return "error";
            }
            Verdict v = swapped ? j.value().swapped() : j.value();
            return v == Verdict.A ? "model_1" : v == Verdict.B ? "model_2" : "tie";
        }
    }

    private PairwiseGrading() {
    }

    static List<Match> matches(List<Question> questions, Answers.Result answers, List<String> models, String baseline) {
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            if (baseline != null) {
                if (!models.get(i).equals(baseline)) {
                    pairs.add(new String[] {models.get(i), baseline});
                }
                continue;
            }
            for (int j = i + 1; j < models.size(); j++) {
                pairs.add(new String[] {models.get(i), models.get(j)});
            }
        }
        List<Match> out = new ArrayList<>();
        for (int turn = 1; turn <= 2; turn++) {
            for (Question q : questions) {
                for (String[] p : pairs) {
                    Answers.Answer a1 = answers.byModel().get(p[0]).get(q.idText());
                    Answers.Answer a2 = answers.byModel().get(p[1]).get(q.idText());
                    if (a1 == null || a2 == null) {
                        continue;
                    }
                    if (turn == 2 && (q.turns().size() != 2 || a1.turns().size() != 2 || a2.turns().size() != 2)) {
                        continue;
                    }
                    boolean ref = q.hasReference(turn);
                    String prompt = turn == 1 ? (ref ? JudgePrompts.PAIR_MATH : JudgePrompts.PAIR)
                            : (ref ? JudgePrompts.PAIR_MATH_MULTI_TURN : JudgePrompts.PAIR_MULTI_TURN);
                    out.add(new Match(p[0], p[1], q, turn, JudgePrompts.get(prompt), values(q, turn, a1, a2, ref), values(q, turn, a2, a1, ref)));
                }
            }
        }
        return out;
    }

    private static Map<String, String> values(Question q, int turn, Answers.Answer a, Answers.Answer b, boolean ref) {
        Map<String, String> v = new HashMap<>();
        if (turn == 1) {
            v.put("question", q.turns().get(0));
            v.put("answer_a", a.turns().get(0));
            v.put("answer_b", b.turns().get(0));
        } else {
            v.put("question_1", q.turns().get(0));
            v.put("question_2", q.turns().get(1));
            v.put("answer_a_1", a.turns().get(0));
            v.put("answer_b_1", b.turns().get(0));
            v.put("answer_a_2", a.turns().get(1));
            v.put("answer_b_2", b.turns().get(1));
        }
        if (ref) {
            v.put("ref_answer_1", q.reference().get(0));
            if (turn == 2) {
                v.put("ref_answer_2", q.reference().get(1));
            }
        }
        return v;
    }

    static List<Row> judge(List<Match> matches, ModelEndpoint judge, JudgeClient client) {
        List<ModelCalls.Outcome<Row>> outcomes = client.map(matches, "judging pairs", m -> new Row(m,
                client.judge(judge, m.prompt(), m.g1(), JudgeReplies::verdict),
                client.judge(judge, m.prompt(), m.g2(), JudgeReplies::verdict)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            ModelCalls.Outcome<Row> o = outcomes.get(i);
            Judgment<Verdict> failed = new Judgment<>(null, "", "", o.error());
            rows.add(o.ok() ? o.value() : new Row(matches.get(i), failed, failed));
        }
        return rows;
    }

    /** A model_judgment line: common.py's play_a_match_pair record, without tstamp; errors named when a game has one. */
    static ObjectNode record(Row r, String judgeName, ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.set("question_id", r.match().question().id());
        n.put("model_1", r.match().model1());
        n.put("model_2", r.match().model2());
        n.put("g1_winner", r.g1Winner());
        n.put("g2_winner", r.g2Winner());
        n.putArray("judge").add(judgeName).add(r.match().prompt().name());
        n.put("g1_user_prompt", r.g1().userPrompt());
        n.put("g1_judgment", r.g1().reply());
        n.put("g2_user_prompt", r.g2().userPrompt());
        n.put("g2_judgment", r.g2().reply());
        n.put("turn", r.match().turn());
        if (!r.g1().ok()) {
            n.put("g1_error", r.g1().error());
        }
        if (!r.g2().ok()) {
            n.put("g2_error", r.g2().error());
        }
        return n;
    }

    /** {@code {"models": {NAME: {"win", "loss", "tie", "win_rate", "win_rate_adjusted"}}}}; the baseline itself is left out. */
    static ObjectNode results(List<Row> rows, List<String> models, String baseline, ObjectMapper json) {
        Map<String, long[]> wlt = new HashMap<>();
        models.forEach(m -> wlt.put(m, new long[3]));
        for (Row r : rows) {
            String g1 = r.g1Winner();
            String g2 = r.g2Winner();
            if (g1.equals("error") || g2.equals("error")) {
                continue;
            }
            String m1 = r.match().model1();
            String m2 = r.match().model2();
            if (g1.equals("tie") || !g1.equals(g2)) {
                wlt.get(m1)[2]++;
                wlt.get(m2)[2]++;
            } else {
                String winner = g1.equals("model_1") ? m1 : m2;
                String loser = winner.equals(m1) ? m2 : m1;
                wlt.get(winner)[0]++;
                wlt.get(loser)[1]++;
            }
        }
        ObjectNode root = json.createObjectNode();
        ObjectNode byModel = root.putObject("models");
        for (String m : models) {
            if (m.equals(baseline)) {
                continue;
            }
            long[] c = wlt.get(m);
            long total = c[0] + c[1] + c[2];
            ObjectNode n = byModel.putObject(m);
            n.put("win", c[0]);
            n.put("loss", c[1]);
            n.put("tie", c[2]);
            if (total == 0) {
                n.putNull("win_rate");
                n.putNull("win_rate_adjusted");
            } else {
                n.put("win_rate", (double) c[0] / total);
                n.put("win_rate_adjusted", (c[0] + 0.5 * c[2]) / total);
            }
        }
        return root;
    }

    /** The win table, best adjusted win rate first (ties by name), as show_result.py sorts it. */
    static List<String> table(ObjectNode results) {
        List<String> names = new ArrayList<>();
        results.path("models").fieldNames().forEachRemaining(names::add);
        names.sort(Comparator.comparingDouble((String m) -> -results.path("models").path(m).path("win_rate_adjusted").asDouble(-1))
                .thenComparing(Comparator.naturalOrder()));
        int width = Math.max(5, names.stream().mapToInt(String::length).max().orElse(5));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-" + width + "s %5s %5s %5s %9s %9s", "model", "win", "loss", "tie", "win rate", "adjusted"));
        for (String m : names) {
            var n = results.path("models").path(m);
            lines.add(String.format(Locale.ROOT, "%-" + width + "s %5d %5d %5d %9s %9s", m, n.path("win").asLong(), n.path("loss").asLong(),
                    n.path("tie").asLong(), rate(n.path("win_rate")), rate(n.path("win_rate_adjusted"))));
        }
        return lines;
    }

    private static String rate(com.fasterxml.jackson.databind.JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.4f", n.asDouble()) : "-";
    }
}
