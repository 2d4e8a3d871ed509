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
 * options. The default is the {@code lmsys-chat-1m} profile: FastChat's lmsys_chat_1m release
 * chain (clean_chat_data.py → PII redaction → filter_bad_conv.py → final_post_processing.py →
 * merge_oai_tag.py) and nothing more:
 * <pre>
 * seed: 42
 * stages:
 *   - validate: {}                   # ours: roles, UTF-16, turn; structural only
 *   - network_error: {}              # clean_chat_data.py, before its last-state pick
 *   - dedup: {highFrequency: off}    # clean_chat_data.py: last state per conversation_id
 *   - language: {}                   # clean_chat_data.py: detect_language(first prompt)
 *   - redact: {}                     # the "_pii" step between clean_chat_data and filter_bad_conv
 *   - filter: {blockedWords: [], blockedModels: [], dropFlagged: false}   # filter_bad_conv.py
 *   - sample: {n: 0}                 # filter_bad_conv.py --sample: CPython shuffle with the seed
 *   - moderate: {provider: none}     # merge_oai_tag.py
 * </pre>
 * Writing the release is the runner's last step, not a stage; it drops tstamp and user_id
 * (final_post_processing.py).
 */
public record PipelineConfig(long seed, List<StageSpec> stages) {
    public record StageSpec(String name, Map<String, Object> options) {
    }

    /** The profile curate runs when none is named. */
    public static final String DEFAULT_PROFILE = "lmsys-chat-1m";

    /** The {@code lmsys-chat-1m} profile. */
    public static PipelineConfig defaults() {
        List<StageSpec> s = new ArrayList<>();
        for (String n : List.of("validate", "network_error", "dedup", "language", "redact", "filter", "sample", "moderate")) {
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
