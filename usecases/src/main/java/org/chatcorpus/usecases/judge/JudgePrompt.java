package org.chatcorpus.usecases.judge;

import java.util.Map;
import java.util.Objects;

/**
 * One judge prompt, as a line of FastChat's {@code judge_prompts.jsonl}: a system prompt, a user
 * prompt template with {@code {name}} slots, and the reply format the judge is told to use
 * ({@code [[rating]]}, {@code [[A]]}, {@code score_value} or {@code criteria}).
 */
public record JudgePrompt(String name, String type, String systemPrompt, String promptTemplate, String outputFormat) {
    public JudgePrompt {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(promptTemplate, "prompt_template of " + name);
    }

    /**
     * The user prompt with every {@code {key}} of {@code values} filled in one pass, so a value that
     * itself contains "{answer}" is never expanded. Braces that name no given key stay as they are
     * (the prompt-scoring templates show a JSON shape), unlike Python's str.format, which would
     * need them doubled.
     */
    public String render(Map<String, String> values) {
        StringBuilder out = new StringBuilder(promptTemplate.length() + 256);
        int i = 0;
        while (i < promptTemplate.length()) {
            char c = promptTemplate.charAt(i);
            if (c == '{') {
                int end = promptTemplate.indexOf('}', i + 1);
                if (end > i) {
                    String value = values.get(promptTemplate.substring(i + 1, end));
                    if (value != null) {
                        out.append(value);
                        i = end + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
