package org.chatcorpus.spark;

import java.io.Serializable;
import org.chatcorpus.core.model.Conversation;

/**
 * A whole-dataset stage's decisions, made on the driver from the keys of every conversation and
 * shipped to the tasks, which apply them conversation by conversation: what becomes of the
 * conversation at a given index of the phase's input.
 */
interface Fates extends Serializable {
    /** @return null to keep, {@link #CHANGED} to keep as changed, or the drop reason */
    String fate(long index, Conversation c);

    /** A tag line to write for this conversation (beside the release), or null. */
    default String side(long index, Conversation c) {
        return null;
    }

    String CHANGED = "\u0000changed";
}
