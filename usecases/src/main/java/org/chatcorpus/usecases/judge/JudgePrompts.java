package org.chatcorpus.usecases.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The judge prompts shipped with chatcorpus ({@code judge_prompts.jsonl} beside this class), in the
 * layout of FastChat's llm_judge/data/judge_prompts.jsonl and under the same names (single-v1,
 * pair-v2, their math and multi-turn variants), plus the prompt-scoring prompts of hard-prompts and
 * a whole-conversation pairwise prompt for pseudo-labels. The wording is ours, written in the same
 * spirit; the reply formats are FastChat's, since they are what the replies are read by.
 */
public final class JudgePrompts {
    public static final String SINGLE = "single-v1";
    public static final String SINGLE_MATH = "single-math-v1";
    public static final String SINGLE_MULTI_TURN = "single-v1-multi-turn";
    public static final String SINGLE_MATH_MULTI_TURN = "single-math-v1-multi-turn";
    public static final String PAIR = "pair-v2";
    public static final String PAIR_MULTI_TURN = "pair-v2-multi-turn";
    public static final String PAIR_MATH = "pair-math-v1";
    public static final String PAIR_MATH_MULTI_TURN = "pair-math-v1-multi-turn";
    public static final String PAIR_CONVERSATION = "pair-conversation-v1";
    public static final String PROMPT_SCORE_PAPER = "prompt-score-paper";
    public static final String PROMPT_CRITERIA_ARENA_HARD = "prompt-criteria-arena-hard";

    private static final Map<String, JudgePrompt> BUILT_IN = load();

    private JudgePrompts() {
    }

    /** The built-in prompt of that name. */
    public static JudgePrompt get(String name) {
        JudgePrompt p = BUILT_IN.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no judge prompt named " + name + "; known: " + BUILT_IN.keySet());
        }
        return p;
    }

    private static Map<String, JudgePrompt> load() {
        ObjectMapper json = new ObjectMapper();
        Map<String, JudgePrompt> prompts = new TreeMap<>();
        try (InputStream in = JudgePrompts.class.getResourceAsStream("judge_prompts.jsonl")) {
            if (in == null) {
                throw new IllegalStateException("judge_prompts.jsonl is missing from the usecases jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(line);
                JudgePrompt p = new JudgePrompt(n.path("name").asText(), n.path("type").asText(),
                        n.path("system_prompt").asText(), n.path("prompt_template").asText(), n.path("output_format").asText());
                prompts.put(p.name(), p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in judge prompts", e);
        }
        return Map.copyOf(prompts);
    }
}
