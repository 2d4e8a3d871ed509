package org.chatcorpus.core.tokenize;

/**
 * Counts tokens of a text the way a given tokenizer does. Implementations are thread-safe.
 * Pluggable so statistics can name which tokenizer produced their numbers.
 */
public interface TokenCounter {
    /** Name shown in outputs, e.g. "llama (vicuna-7b-v1.5 vocabulary)" or "cl100k_base". */
    String name();

    /** Number of tokens {@code text} encodes to, as {@code len(tokenizer(text).input_ids)}. */
    int count(String text);
}
