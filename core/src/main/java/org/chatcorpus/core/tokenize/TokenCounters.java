package org.chatcorpus.core.tokenize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chooses a tokenizer from a command-line spec: {@code llama=PATH} (a tokenizer.json),
 * {@code llama} (found through CHATCORPUS_LLAMA_TOKENIZER or ../shared/data/llama-tokenizer/),
 * {@code cl100k}, or {@code none}. The default is Llama when its vocabulary can be found (the
 * paper's tokenizer), else cl100k, and outputs always name which one counted.
 */
public final class TokenCounters {
    private TokenCounters() {
    }

    /** The tokenizer for a spec; null for "none". */
    public static TokenCounter resolve(String spec) throws IOException {
        if (spec == null || spec.isBlank() || spec.equals("default")) {
            return defaultCounter();
        }
        if (spec.equals("none")) {
            return null;
        }
        if (spec.equals("cl100k")) {
            return new Cl100kTokenCounter();
        }
        if (spec.equals("llama")) {
            Path p = findLlamaVocabulary();
            if (p == null) {
                throw new IOException("no Llama vocabulary found: pass --tokenizer llama=PATH/tokenizer.json, set "
                        + "CHATCORPUS_LLAMA_TOKENIZER, or use --tokenizer cl100k");
            }
            return LlamaTokenizer.load(p);
        }
        if (spec.startsWith("llama=")) {
            Path p = Path.of(spec.substring("llama=".length()));
            if (!Files.isRegularFile(p)) {
                throw new IOException("tokenizer file " + p + " does not exist");
            }
            return LlamaTokenizer.load(p);
        }
        throw new IllegalArgumentException("unknown tokenizer '" + spec + "'; use llama=PATH, llama, cl100k or none");
    }

    /** Llama when its vocabulary is found, otherwise cl100k. */
    public static TokenCounter defaultCounter() throws IOException {
        Path p = findLlamaVocabulary();
        return p == null ? new Cl100kTokenCounter() : LlamaTokenizer.load(p);
    }

    static Path findLlamaVocabulary() {
        String env = System.getenv("CHATCORPUS_LLAMA_TOKENIZER");
        if (env != null && Files.isRegularFile(Path.of(env))) {
            return Path.of(env);
        }
        Path shared = org.chatcorpus.core.io.SharedDataLocator.find();
        Path candidate = shared == null ? null : shared.resolve("llama-tokenizer/llama-tokenizer.json");
        return candidate != null && Files.isRegularFile(candidate) ? candidate : null;
    }
}
