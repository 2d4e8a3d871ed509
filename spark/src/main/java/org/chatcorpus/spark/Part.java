package org.chatcorpus.spark;

import java.io.Serializable;

/** A Parquet file one task of a phase wrote, with its row count: the phases' spill, in order. */
record Part(String location, long rows) implements Serializable {
}
