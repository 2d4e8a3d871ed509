package org.chatcorpus.pipeline.moderation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * Per-category and flagged precision / recall / F1 of predictions against labels. A label of -1
 * (unknown) is skipped; a text counts for "flagged" when at least one of its categories is labeled,
 * and its gold "flagged" is whether any labeled category is 1.
 */
public final class ModerationMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final long[][] m = new long[ModerationCategory.COUNT + 1][3]; // tp, fp, fn

    public void add(Moderation predicted, byte[] labels) {
        boolean anyKnown = false;
        boolean goldFlag = false;
        for (ModerationCategory c : ModerationCategory.all()) {
            byte y = labels[c.ordinal()];
            if (y < 0) {
                continue;
            }
            anyKnown = true;
            goldFlag |= y == 1;
            count(m[c.ordinal()], predicted.category(c), y == 1);
        }
        if (anyKnown) {
            count(m[ModerationCategory.COUNT], predicted.flagged(), goldFlag);
        }
    }

    /** {@code {category: {precision, recall, f1, support}, ..., "flagged": {...}}}, rounded to 3 places. */
    public ObjectNode toJson() {
        ObjectNode out = JSON.createObjectNode();
        for (ModerationCategory c : ModerationCategory.all()) {
            out.set(c.label(), prf(m[c.ordinal()]));
        }
        out.set("flagged", prf(m[ModerationCategory.COUNT]));
        return out;
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

    private static ObjectNode prf(long[] m) {
        ObjectNode n = JSON.createObjectNode();
        double p = m[0] + m[1] == 0 ? 0 : (double) m[0] / (m[0] + m[1]);
        double r = m[0] + m[2] == 0 ? 0 : (double) m[0] / (m[0] + m[2]);
        n.put("precision", round(p));
        n.put("recall", round(r));
        n.put("f1", p + r == 0 ? 0 : round(2 * p * r / (p + r)));
        n.put("support", m[0] + m[2]);
        return n;
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
