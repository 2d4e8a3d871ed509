package org.chatcorpus.usecases.safety;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * One moderator's score against labels, in the shape of the paper's Table 3: micro-F1 over every
 * labeled (message, category) pair, flagged precision / recall / F1 over messages with a flagged
 * label, and F1 per category that has labeled examples. Messages the moderator gave no verdict for
 * are counted as errors and left out of every figure.
 */
public final class EvalScore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final long[][] perCategory = new long[ModerationCategory.COUNT][3]; // tp, fp, fn
    private final long[] labeledPairs = new long[ModerationCategory.COUNT];
    private final long[] flagged = new long[3];
    private long judged;
    private long errors;

    public void add(LabeledMessage gold, Verdict v) {
        if (!v.ok()) {
            errors++;
            return;
        }
        judged++;
        Moderation m = v.moderation();
        for (ModerationCategory c : ModerationCategory.all()) {
            byte y = gold.categories()[c.ordinal()];
            if (y >= 0) {
                labeledPairs[c.ordinal()]++;
                count(perCategory[c.ordinal()], m.category(c), y == 1);
            }
        }
        if (gold.flagged() >= 0) {
            count(flagged, m.flagged(), gold.flagged() == 1);
        }
    }

    public long judged() {
        return judged;
    }

    public long errors() {
        return errors;
    }

    /** Sum of tp/fp/fn over categories, then F1. */
    public double microF1() {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (long[] c : perCategory) {
            tp += c[0];
            fp += c[1];
            fn += c[2];
        }
        return f1(tp, fp, fn);
    }

    /** {@code {"micro_f1", "flagged": {"precision","recall","f1"}, "categories": {label: {"precision","recall","f1"}}}}. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("micro_f1", round(microF1()));
        n.set("flagged", prf(flagged));
        ObjectNode cats = n.putObject("categories");
        for (ModerationCategory c : ModerationCategory.all()) {
            if (labeledPairs[c.ordinal()] > 0) {
                cats.set(c.label(), prf(perCategory[c.ordinal()]));
            }
        }
        return n;
    }

    private static ObjectNode prf(long[] m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("precision", round(m[0] + m[1] == 0 ? 0 : (double) m[0] / (m[0] + m[1])));
        n.put("recall", round(m[0] + m[2] == 0 ? 0 : (double) m[0] / (m[0] + m[2])));
        n.put("f1", round(f1(m[0], m[1], m[2])));
        return n;
    }

    static double f1(long tp, long fp, long fn) {
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    private static void count(long[] m, boolean pred, boolean gold) {
        if (pred && gold) {
            m[0]++;
        } else if (pred) {
            m[1]++;
        } else if (gold) {
            m[2]++;
        }
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
