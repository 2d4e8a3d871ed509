package org.chatcorpus.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.ChatCorpusVersion;

/**
 * {@code provenance.json} of a curated release, the same document whichever engine ran the
 * pipeline: the engine is recorded beside the seed, the stages with their configuration and
 * counts, the inputs with their hashes and the shards written. Written with sorted keys
 * (CanonicalJson) by the caller; {@code timing} holds the only wall-clock values.
 */
public final class Provenance {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Provenance() {
    }

    /** One input file: its path relative to {@code input_root}, its size and SHA-256. */
    public record Input(String path, long bytes, String sha256) {
    }

    /** What was written: shard paths relative to the release folder. */
    public record Output(List<String> shards, long numExamples, long downloadSize) {
    }

    /**
     * @param engine     "local" or "spark"
     * @param engineInfo what else identifies the engine (Spark: version and master); may be empty
     */
    public static ObjectNode build(PipelineConfig config, String engine, Map<String, String> engineInfo, List<Object> stages,
            String inputRoot, List<Input> inputs, List<StageCounts> counts, long quarantined, Output output, double seconds) {
        ObjectNode p = JSON.createObjectNode();
        p.put("tool", "chatcorpus");
        p.put("chatcorpus_version", ChatCorpusVersion.get());
        p.put("seed", config.seed());
        ObjectNode e = p.putObject("engine");
        e.put("name", engine);
        engineInfo.forEach(e::put);
        ArrayNode pipeline = p.putArray("pipeline");
        ObjectNode tools = p.putObject("tools");
        for (Object s : stages) {
            ObjectNode n = pipeline.addObject();
            if (s instanceof Stage st) {
                n.put("stage", st.name());
                n.set("config", JSON.valueToTree(st.config()));
                st.tools().forEach(tools::put);
            } else {
                DatasetStage ds = (DatasetStage) s;
                n.put("stage", ds.name());
                n.set("config", JSON.valueToTree(ds.config()));
            }
        }
        p.put("input_root", inputRoot);
        ArrayNode in = p.putArray("inputs");
        for (Input f : inputs) {
            ObjectNode n = in.addObject();
            n.put("path", f.path());
            n.put("bytes", f.bytes());
            n.put("sha256", f.sha256());
        }
        ArrayNode c = p.putArray("stages");
        ObjectNode timing = JSON.createObjectNode();
        ObjectNode stageSeconds = timing.putObject("stages");
        for (StageCounts x : counts) {
            ObjectNode n = x.toJson(JSON);
            stageSeconds.put(x.stage(), n.remove("seconds").asDouble());
            c.add(n);
        }
        p.put("quarantined_input_records", quarantined);
        ObjectNode o = p.putObject("output");
        ArrayNode shards = o.putArray("shards");
        output.shards().forEach(shards::add);
        o.put("num_examples", output.numExamples());
        o.put("download_size", output.downloadSize());
        // The only wall-clock values in a release, together, so comparing two releases can drop them in one step.
        timing.put("seconds", Math.round(seconds * 1000) / 1000.0);
        p.set("timing", timing);
        return p;
    }

    /** The moderation stage's word on who filled `openai_moderation`, as a paragraph of the card. */
    public static String moderationNote(List<Object> stages) {
        for (Object s : stages) {
            if (s instanceof org.chatcorpus.pipeline.moderation.ModerationStage m && m.cardNote() != null) {
                return "\n\n" + m.cardNote();
            }
        }
        return "";
    }

    /** The dataset card's description of a curated release. */
    public static String cardDescription(int inputFiles, List<Object> stages) {
        return "Curated by `chatcorpus curate` from " + inputFiles + " input file(s); see provenance.json for every step."
                + moderationNote(stages);
    }
}
