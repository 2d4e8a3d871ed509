package org.chatcorpus.pipeline;

import java.io.Serializable;
import java.util.Map;
import org.chatcorpus.core.model.Conversation;

/**
 * One step of the release pipeline over one conversation: keep it, change it, or drop it with a
 * reason. A stage does not know how it is run (local threads or Spark): it is configured by value,
 * serializable, and holds no global mutable state, so the same object can be shipped to workers.
 * Stages must be safe to call from several threads at once.
 */
public interface Stage extends Serializable {
    /** Short name used in the pipeline file, counts and provenance, e.g. "filter". */
    String name();

    StageOutcome process(Conversation conversation);

    /** The stage's configuration, for provenance. */
    Map<String, Object> config();

    /** Tools and models behind the stage (library versions, model hashes), for provenance. */
    default Map<String, String> tools() {
        return Map.of();
    }
}
