package org.chatcorpus.pipeline;

import java.nio.file.Path;
import java.util.List;

/** A curate run in its own JVM, so a test can kill it with SIGKILL. Args: INPUT OUT. */
public final class CurateMain {
    public static void main(String[] args) throws Exception {
        new LocalRunner(PipelineConfig.defaults(), 4 << 20).run(List.of(args[0]), null, Path.of(args[1]));
    }
}
