package org.chatcorpus.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chatcorpus.pipeline.language.LanguageStage;
import org.chatcorpus.pipeline.moderation.ModerationStage;
import org.chatcorpus.pipeline.redact.RedactStage;
import org.chatcorpus.pipeline.stages.DedupStage;
import org.chatcorpus.pipeline.stages.NearDuplicateStage;
import org.chatcorpus.pipeline.stages.NetworkErrorStage;
import org.chatcorpus.pipeline.stages.FilterStage;
import org.chatcorpus.pipeline.stages.SampleStage;
import org.chatcorpus.pipeline.stages.ValidateStage;

/** Builds stage objects from their names and options in the pipeline file. */
public final class StageFactory {
    private StageFactory() {
    }

    /** A per-conversation {@link Stage} or a whole-dataset {@link DatasetStage}. */
    public static Object create(PipelineConfig.StageSpec spec, long seed) throws IOException {
        return create(spec, seed, null);
    }

    /** As {@link #create(PipelineConfig.StageSpec, long)}, for a run writing its release to {@code out} (for stages' side files). */
    public static Object create(PipelineConfig.StageSpec spec, long seed, Path out) throws IOException {
        Map<String, Object> o = spec.options();
        return switch (spec.name()) {
            case "validate" -> new ValidateStage(seed);
            case "network_error" -> new NetworkErrorStage();
            case "filter" -> new FilterStage(strings(o.get("blockedWords")), strings(o.get("blockedModels")),
                    Boolean.TRUE.equals(o.get("dropFlagged")));
            case "dedup" -> new DedupStage(o.get("highFrequency") == null ? DedupStage.OFF : o.get("highFrequency").toString(),
                    number(o.get("percentile"), 0.9999), seed, out == null ? null : out.resolve("dedup_tags.jsonl").toString());
            case "near_dup" -> new NearDuplicateStage(number(o.get("threshold"), 0.8), "drop".equals(String.valueOf(o.get("action"))), seed,
                    out == null ? null : out.resolve("near_duplicates.jsonl"));
            case "sample" -> new SampleStage((long) number(o.get("n"), 0), seed);
            case "language" -> new LanguageStage(number(o.get("minConfidence"), LanguageStage.DEFAULT_MIN_CONFIDENCE),
                    o.get("detector") == null ? LanguageStage.FASTTEXT : String.valueOf(o.get("detector")));
            case "redact" -> RedactStage.withDefaults();
            case "moderate" -> ModerationStage.of(o.get("provider") == null ? "none" : o.get("provider").toString(),
                    Boolean.TRUE.equals(o.get("keepExisting")), o.get("onError") == null ? ModerationStage.FAIL : o.get("onError").toString());
            default -> throw new IllegalArgumentException("unknown stage '" + spec.name()
                    + "'; known: validate, network_error, filter, dedup, near_dup, language, redact, moderate, sample");
        };
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Object::toString).toList();
        }
        if (v instanceof String s && s.startsWith("@")) {
            try {
                return java.nio.file.Files.readAllLines(Path.of(s.substring(1))).stream().filter(x -> !x.isBlank()).toList();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read word list " + s.substring(1) + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("expected a list of strings or @FILE, got " + v);
    }

    private static double number(Object v, double dflt) {
        return v == null ? dflt : v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
    }
}
