package org.chatcorpus.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline file (YAML or JSON): a seed and an ordered list of stages, each a name with its
 * options. The default reproduces the seed system's order:
 * <pre>
 * seed: 42
 * stages:
 *   - validate: {}
 *   - filter: {blockedWords: [], blockedModels: [], dropFlagged: false}
 *   - dedup: {percentile: 0.9999}
 *   - language: {}
 *   - redact: {}
 *   - moderate: {provider: none}
 *   - sample: {n: 0}
 * </pre>
 * Writing the release is the runner's last step, not a stage.
 */
public record PipelineConfig(long seed, List<StageSpec> stages) {
    public record StageSpec(String name, Map<String, Object> options) {
    }

    public static PipelineConfig defaults() {
        List<StageSpec> s = new ArrayList<>();
        for (String n : List.of("validate", "filter", "dedup", "language", "redact", "moderate", "sample")) {
            s.add(new StageSpec(n, Map.of()));
        }
        return new PipelineConfig(42, s);
    }

    public static PipelineConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("pipeline file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("pipeline file " + file + ": expected a mapping with `seed` and `stages`");
        }
        long seed = root.path("seed").asLong(42);
        JsonNode st = root.get("stages");
        if (st == null || !st.isArray()) {
            throw new IOException("pipeline file " + file + ": `stages` must be a list like [- validate: {}, - filter: {...}]");
        }
        List<StageSpec> specs = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (int i = 0; i < st.size(); i++) {
            JsonNode s = st.get(i);
            if (s.isTextual()) {
                specs.add(new StageSpec(s.asText(), Map.of()));
            } else if (s.isObject() && s.size() == 1) {
                var e = s.fields().next();
                @SuppressWarnings("unchecked")
                Map<String, Object> opts = e.getValue().isObject() ? m.convertValue(e.getValue(), LinkedHashMap.class) : Map.of();
                specs.add(new StageSpec(e.getKey(), opts));
            } else {
                throw new IOException("pipeline file " + file + ": stage " + (i + 1) + " must be a name or {name: {options}}");
            }
        }
        return new PipelineConfig(seed, specs);
    }

    /** The same pipeline with one stage's options replaced (e.g. --moderation on the command line). */
    public PipelineConfig withOption(String stage, String key, Object value) {
        List<StageSpec> out = new ArrayList<>();
        for (StageSpec s : stages) {
            if (s.name().equals(stage)) {
                Map<String, Object> o = new LinkedHashMap<>(s.options());
                o.put(key, value);
                out.add(new StageSpec(s.name(), o));
            } else {
                out.add(s);
            }
        }
        return new PipelineConfig(seed, out);
    }

    /** The same pipeline with a stage inserted right after {@code after} (or at the end when absent), unless it is already there. */
    public PipelineConfig withStageAfter(String after, StageSpec stage) {
        if (stages.stream().anyMatch(s -> s.name().equals(stage.name()))) {
            return this;
        }
        List<StageSpec> out = new ArrayList<>(stages);
        int at = out.size();
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).name().equals(after)) {
                at = i + 1;
            }
        }
        out.add(at, stage);
        return new PipelineConfig(seed, out);
    }
}
