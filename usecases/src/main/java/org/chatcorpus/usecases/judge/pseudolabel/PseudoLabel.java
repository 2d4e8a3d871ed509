package org.chatcorpus.usecases.judge.pseudolabel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.usecases.judge.JudgeClient;
import org.chatcorpus.usecases.judge.JudgePrompt;
import org.chatcorpus.usecases.judge.JudgePrompts;
import org.chatcorpus.usecases.judge.JudgeReplies;
import org.chatcorpus.usecases.judge.Judgment;
import org.chatcorpus.usecases.judge.Verdict;

/**
 * Preference targets from an LLM judge (the Kaggle discussion's pseudo-labels): each pair is judged
 * twice with the responses' places swapped, as llm_judge's pairwise mode does, and labeled
 * model_a or model_b only when both games agree; a tie in either game or games that disagree give a
 * tie. A single-turn pair uses pair-v2; a longer one the whole-conversation prompt. A pair whose
 * games left no verdict is not labeled: it is quarantined with the judge's error.
 */
public final class PseudoLabel {
    /** Counts of a run. */
    public record Result(int pairs, int labeled, int modelA, int modelB, int ties, int inconsistent, int errors) {
    }

    private PseudoLabel() {
    }

    public static Result run(Path pairsFile, ModelEndpoint judge, Path out, JudgeClient client, Quarantine quarantine) throws IOException {
        List<KagglePairsCsv.Pair> pairs = KagglePairsCsv.read(pairsFile, quarantine);
        record Games(Judgment<Verdict> g1, Judgment<Verdict> g2) {
        }
        List<ModelCalls.Outcome<Games>> outcomes = client.map(pairs, "pseudo-labels", p -> {
            boolean single = p.prompts().size() == 1;
            JudgePrompt prompt = JudgePrompts.get(single ? JudgePrompts.PAIR : JudgePrompts.PAIR_CONVERSATION);
            return new Games(client.judge(judge, prompt, values(p, false, single), JudgeReplies::verdict),
                    client.judge(judge, prompt, values(p, true, single), JudgeReplies::verdict));
        });
        List<KagglePairsCsv.Pair> labeledPairs = new ArrayList<>();
        List<KagglePairsCsv.Label> labels = new ArrayList<>();
        int a = 0;
        int b = 0;
        int ties = 0;
        int inconsistent = 0;
        int errors = 0;
        for (int i = 0; i < pairs.size(); i++) {
            KagglePairsCsv.Pair p = pairs.get(i);
            ModelCalls.Outcome<Games> o = outcomes.get(i);
            String error = !o.ok() ? o.error() : !o.value().g1().ok() ? o.value().g1().error() : !o.value().g2().ok() ? o.value().g2().error() : null;
            if (error != null) {
                errors++;
                quarantine.reject(new QuarantinedRecord(pairsFile.toString(), "id " + p.id(), "no verdict: " + error + "; pair not labeled", ""));
                continue;
            }
            Verdict g1 = o.value().g1().value();
            Verdict g2 = o.value().g2().value().swapped();
            KagglePairsCsv.Label label;
            if (g1 == g2 && g1 != Verdict.TIE) {
                label = g1 == Verdict.A ? KagglePairsCsv.Label.MODEL_A : KagglePairsCsv.Label.MODEL_B;
            } else {
                label = KagglePairsCsv.Label.TIE;
                if (g1 != g2) {
                    inconsistent++;
                }
            }
            switch (label) {
                case MODEL_A -> a++;
                case MODEL_B -> b++;
                case TIE -> ties++;
            }
            labeledPairs.add(p);
            labels.add(label);
        }
        KagglePairsCsv.write(out, labeledPairs, labels);
        return new Result(pairs.size(), labeledPairs.size(), a, b, ties, inconsistent, errors);
    }

    /** The judge's fill-ins with {@code swapped} putting response_b in place A. */
    private static Map<String, String> values(KagglePairsCsv.Pair p, boolean swapped, boolean single) {
        List<String> first = swapped ? p.responsesB() : p.responsesA();
        List<String> second = swapped ? p.responsesA() : p.responsesB();
        Map<String, String> v = new HashMap<>();
        if (single) {
            v.put("question", p.prompts().get(0));
            v.put("answer_a", first.get(0));
            v.put("answer_b", second.get(0));
        } else {
            v.put("conversation_a", conversation(p.prompts(), first, "A"));
            v.put("conversation_b", conversation(p.prompts(), second, "B"));
        }
        return v;
    }

    private static String conversation(List<String> prompts, List<String> answers, String side) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < prompts.size(); i++) {
            if (i > 0) {
                sb.append("\n\n");
            }
            sb.append("### User:\n").append(prompts.get(i)).append("\n\n### Assistant ").append(side).append(":\n").append(answers.get(i));
        }
        return sb.toString();
    }
}
