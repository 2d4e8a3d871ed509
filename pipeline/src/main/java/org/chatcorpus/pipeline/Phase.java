package org.chatcorpus.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * A step of a run: either a chain of consecutive per-conversation stages (run conversation by
 * conversation, in parallel) or one whole-dataset stage. Every engine cuts a pipeline the same way.
 */
public record Phase(List<Stage> chain, DatasetStage dataset) {
    public String name() {
        return dataset != null ? dataset.name() : String.join("+", chain.stream().map(Stage::name).toList());
    }

    /**
     * The phases of a pipeline's stage objects, in order. A whole-dataset stage that needs no view
     * of the whole dataset as configured ({@link DatasetStage#asPerConversation()}) joins its chain.
     */
    public static List<Phase> of(List<Object> stages) {
        List<Phase> out = new ArrayList<>();
        List<Stage> chain = new ArrayList<>();
        for (Object s : stages) {
            if (s instanceof Stage st) {
                chain.add(st);
            } else if (((DatasetStage) s).asPerConversation() != null) {
                chain.add(((DatasetStage) s).asPerConversation());
            } else {
                if (!chain.isEmpty()) {
                    out.add(new Phase(List.copyOf(chain), null));
                    chain.clear();
                }
                out.add(new Phase(List.of(), (DatasetStage) s));
            }
        }
        if (!chain.isEmpty()) {
            out.add(new Phase(List.copyOf(chain), null));
        }
        return out;
    }
}
