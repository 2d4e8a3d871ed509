package org.chatcorpus.pipeline.engine;

import java.util.List;
import java.util.Map;

/**
 * A stats run for an engine.
 *
 * @param tokenizer the {@code --tokenizer} spec, resolved by every worker (a {@code llama=PATH} file must be readable there)
 */
public record StatsJob(List<String> inputs, String format, String tokenizer, Map<String, String> settings) {
}
