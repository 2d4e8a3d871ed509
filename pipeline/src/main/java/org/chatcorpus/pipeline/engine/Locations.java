package org.chatcorpus.pipeline.engine;

import java.util.regex.Pattern;

/** Tells a local path from a file system URI ({@code hdfs://…}, {@code s3a://…}, {@code file:…}) that only some engines write. */
public final class Locations {
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");

    private Locations() {
    }

    /** True for a plain path (or the Hub's {@code hf://}, which every verb reads through its local cache). */
    public static boolean isLocal(String location) {
        return !SCHEME.matcher(location).matches() || location.startsWith("hf://");
    }
}
