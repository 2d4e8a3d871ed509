package org.chatcorpus.usecases.judge.mtbench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One MT-bench question ({@code question_id}, {@code category}, {@code turns}, optional
 * {@code reference} answers per turn and {@code required_temperature}), as FastChat's
 * llm_judge/data/mt_bench/question.jsonl has it. {@code id} keeps the JSON value (a number in
 * MT-bench, any scalar elsewhere) so it is written back unchanged.
 */
public record Question(JsonNode id, String category, List<String> turns, List<String> reference, Double requiredTemperature) {
    /** The categories llm_judge judges against a reference answer (common.py's NEED_REF_CATS). */
    static final List<String> NEED_REFERENCE = List.of("math", "reasoning", "coding", "arena-hard-200");

    public Question {
        turns = List.copyOf(turns);
        reference = reference == null ? List.of() : List.copyOf(reference);
    }

    /** The id as text, for messages and sorting keys. */
    public String idText() {
        return id.asText();
    }

    boolean needsReference() {
        return NEED_REFERENCE.contains(category);
    }

    /** True when a reference-based prompt can be used for this turn (1-based). */
    boolean hasReference(int turn) {
        return needsReference() && reference.size() >= turn;
    }

    /**
     * The sampling temperature for answers: required_temperature, else gen_api_answer.py's
     * temperature_config by category, else 0.7.
     */
    double temperature() {
        if (requiredTemperature != null) {
            return requiredTemperature;
        }
        return switch (category) {
            case "writing", "roleplay" -> 0.7;
            case "extraction", "math", "coding", "reasoning", "arena-hard-200" -> 0.0;
            case "stem", "humanities" -> 0.1;
            default -> 0.7;
        };
    }
}
