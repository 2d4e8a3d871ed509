package org.chatcorpus.usecases.safety;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.pipeline.moderation.OpenAiModeration;

/**
 * OpenAI's moderation endpoint through curate's client ({@link OpenAiModeration}), configured from
 * {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY}. Texts go in groups of 32, so a group the
 * endpoint refuses becomes 32 errors and the rest still count.
 */
final class OpenAiModerator implements Moderator {
    private static final int GROUP = 32;
    private final OpenAiModeration client;

    OpenAiModerator(Map<String, String> env) throws IOException {
        String key = env.get("OPENAI_API_KEY");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("--moderator openai needs OPENAI_API_KEY in the environment (and OPENAI_BASE_URL for another endpoint)");
        }
        String base = env.getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1");
        this.client = new OpenAiModeration(base.isBlank() ? "https://api.openai.com/v1" : base, key, "omni-moderation-latest", null, 1000);
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public List<Verdict> judge(List<String> texts) {
        List<Verdict> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += GROUP) {
            List<String> group = texts.subList(from, Math.min(texts.size(), from + GROUP));
            try {
                for (Moderation m : client.moderate(group)) {
                    out.add(Verdict.of(m));
                }
            } catch (RuntimeException e) {
                for (int i = 0; i < group.size(); i++) {
                    out.add(Verdict.error("openai moderation: " + e.getMessage()));
                }
            }
        }
        return out;
    }
}
