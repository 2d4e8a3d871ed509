package org.chatcorpus.core.tokenize;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * OpenAI's cl100k_base (GPT-3.5 / GPT-4) via jtokkit, whose vocabulary ships inside its jar: the
 * offline default when no Llama vocabulary is available. Special-token text is counted as text.
 */
public final class Cl100kTokenCounter implements TokenCounter {
    private static final Encoding ENCODING = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    @Override
    public String name() {
        return "cl100k_base (jtokkit)";
    }

    @Override
    public int count(String text) {
        return ENCODING.countTokensOrdinary(text);
    }
}
