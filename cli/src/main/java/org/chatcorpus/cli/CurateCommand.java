package org.chatcorpus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.chatcorpus.core.ChatCorpusVersion;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.InputFiles;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.pipeline.LocalRunner;
import org.chatcorpus.pipeline.PipelineConfig;
import org.chatcorpus.pipeline.StageCounts;
import org.chatcorpus.pipeline.engine.CurateJob;
import org.chatcorpus.pipeline.engine.CurateResult;
import org.chatcorpus.pipeline.engine.Engine;
import org.chatcorpus.pipeline.engine.EngineUnavailableException;
import org.chatcorpus.pipeline.engine.Engines;
import org.chatcorpus.pipeline.language.FastTextLanguageId;
import org.chatcorpus.pipeline.language.LanguageStage;
import org.chatcorpus.pipeline.moderation.ModerationStage;
import org.chatcorpus.battles.io.BattleWriters;
import org.chatcorpus.battles.rating.Arena33kRelease;
import picocli.CommandLine;
import org.chatcorpus.pipeline.moderation.ModerationUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "curate", mixinStandardHelpOptions = true,
        description = {"Turn raw chat logs into a release the way FastChat's release scripts did. Profiles:",
                "  lmsys-chat-1m (default): clean_chat_data -> PII redaction -> filter_bad_conv (+ --sample as its CPython "
                        + "shuffle) -> final_post_processing -> merge_oai_tag, as the stages validate -> network_error -> dedup -> "
                        + "language -> redact -> filter -> sample -> moderate; writes HF Parquet shards, dataset card, "
                        + "provenance.json. Resumable: rerun after an interruption and finished steps are skipped.",
                "  arena-33k: FastChat vote logs -> clean_battle_data (July 2023 rules, anonymous only) -> moderation of "
                        + "conversation_a's prompts -> filter_bad_conv (arena_33k) -> sample.py (CPython shuffle, seed 0) -> "
                        + "merge_field (toxic_chat_tag); writes OUT/arena-conversations.jsonl and OUT/provenance.json.",
                "The release folder holds only what may be published. The quarantine of rejected records (which can hold "
                        + "IPs and unredacted text) and the run state go to the work directory, by default OUT.work/ beside it."},
        footer = {"", "Examples:", "  chatcorpus curate logs/ --out release/",
                "  chatcorpus curate release-1m/ --out curated/ --sample 100000 --engine spark --master local[2]",
                "  chatcorpus curate hdfs://nn:8020/lmsys/raw --out hdfs://nn:8020/lmsys/curated --engine spark   (under spark-submit)",
                "  chatcorpus curate clean_conv.json --out release/ --sample 1000000 --moderation local=moderation.model",
                "  chatcorpus curate logs/ --out release/ --dedup-high-frequency drop",
                "  chatcorpus curate logs/ --out release/ --moderation openai --on-moderation-error skip --work-dir /tmp/curate-work",
                "  chatcorpus curate logs/ --profile arena-33k --out arena/ --sample 33000 --toxic-chat-tags toxic.json"})
final class CurateCommand implements Callable<Integer> {
    static final String ARENA_33K = "arena-33k";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Files, directories or globs (FastChat logs, JSONL, Parquet, …).")
    List<String> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Release directory to write (with --engine spark also any Hadoop file system URI: file:, hdfs:, s3a:).")
    String outLocation;

    /** --out as a local folder (every engine but Spark, which also writes Hadoop file system URIs). */
    Path out;

    @Option(names = "--profile", defaultValue = PipelineConfig.DEFAULT_PROFILE, paramLabel = "lmsys-chat-1m|arena-33k",
            description = "Which release's scripts to reproduce (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--config", description = "Pipeline file (YAML or JSON) replacing the lmsys-chat-1m profile's stages.")
    Path config;

    @Option(names = "--moderation", description = "openai | local=MODEL_FILE | none (overrides the pipeline file).")
    String moderation;

    @Option(names = "--format", description = "Force the input format instead of detecting it.")
    String format;

    @Option(names = "--seed", description = "Seed (default: 42 for lmsys-chat-1m, 0 for arena-33k, as the scripts had them).")
    Long seed;

    @Option(names = "--sample", description = "Keep N conversations as the script's CPython random.shuffle with the seed, then [:N].")
    Long sample;

    @Option(names = "--blocked-words", paramLabel = "FILE",
            description = "filter_bad_conv.py's blocked_words.json (a JSON list) or one word per line.")
    Path blockedWords;

    @Option(names = "--dedup-high-frequency", paramLabel = "tag|drop",
            description = "Add the 2024 deduplication.py cap on high-frequency prompts: tag (dedup_tags.jsonl) or drop. Off by default.")
    String dedupHighFrequency;

    @Option(names = "--near-duplicates", paramLabel = "tag|drop",
            description = "Add MinHash LSH near-duplicate detection after dedup: tag (write near_duplicates.jsonl) or drop.")
    String nearDuplicates;

    @Option(names = "--toxic-chat-tags", paramLabel = "FILE",
            description = "arena-33k only: merge_field.py's tag file, [{question_id, toxic_chat}], merged as toxic_chat_tag.")
    Path toxicChatTags;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Quarantine and run state (default: OUT.work beside the release folder; never publish it).")
    String workDir;

    @Option(names = "--input-root", paramLabel = "DIR",
            description = "Folder that provenance.json input paths are relative to (default: the inputs' common folder).")
    String inputRoot;

    @Option(names = "--engine", paramLabel = "local|spark", defaultValue = Engines.LOCAL,
            description = "Where the pipeline runs: local (this JVM's cores; default) or spark (Apache Spark: the same stages as "
                    + "partition maps and Spark operations; run through ./chatcorpus or spark-submit, see README \"Running on Spark\").")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "With --engine spark: the Spark master (local[2], spark://HOST:7077, yarn, k8s://https://HOST:443); "
                    + "default: spark-submit's, else local[*].")
    String master;

    @Option(names = "--on-moderation-error", paramLabel = "skip|fail", defaultValue = "fail",
            description = "When the moderation endpoint refuses or keeps failing: fail (stop; rerun resumes) or skip "
                    + "(keep those conversations unmoderated, counted and listed in the work directory). Default: ${DEFAULT-VALUE}.")
    String onModerationError;

    @Option(names = "--shard-size", defaultValue = "268435456", description = "Target bytes per shard (default: ${DEFAULT-VALUE}).")
    long shardSize;

    @Override
    public Integer call() throws Exception {
        if (sample != null) {
            Flags.atLeast(spec, "--sample", sample, 1);
        }
        Flags.atLeast(spec, "--shard-size", shardSize, 1024);
        Inputs.requireFile(config, "--config");
        boolean local = engine.equals(Engines.LOCAL);
        if (!local && !engine.equals("spark")) {
            throw usage("--engine must be local or spark, not '" + engine + "'");
        }
        if (master != null && local) {
            throw usage("--master belongs to --engine spark");
        }
        if (!local && profile.equals(ARENA_33K)) {
            throw usage("--engine spark runs the lmsys-chat-1m profile's pipeline; arena-33k runs locally");
        }
        out = local || org.chatcorpus.pipeline.engine.Locations.isLocal(outLocation) ? Path.of(outLocation) : null;
        if (local && !org.chatcorpus.pipeline.engine.Locations.isLocal(outLocation)) {
            throw usage("--out " + outLocation + " is a file system URI: the local engine writes local folders; add --engine spark");
        }
        if (profile.equals(ARENA_33K)) {
            return arena33k();
        }
        if (!profile.equals(PipelineConfig.DEFAULT_PROFILE)) {
            throw usage("--profile must be lmsys-chat-1m or arena-33k, not '" + profile + "'");
        }
        if (toxicChatTags != null) {
            throw usage("--toxic-chat-tags belongs to --profile arena-33k");
        }
        PipelineConfig cfg = config == null ? PipelineConfig.defaults() : PipelineConfig.read(config);
        if (seed != null) {
            cfg = new PipelineConfig(seed, cfg.stages());
        }
        if (moderation != null) {
            cfg = cfg.withOption("moderate", "provider", moderation);
        }
        if (sample != null) {
            cfg = cfg.withOption("sample", "n", sample);
        }
        if (blockedWords != null) {
            cfg = cfg.withOption("filter", "blockedWords", words(blockedWords));
        }
        if (dedupHighFrequency != null) {
            cfg = cfg.withOption("dedup", "highFrequency", tagOrDrop("--dedup-high-frequency", dedupHighFrequency));
        }
        if (nearDuplicates != null) {
            String action = tagOrDrop("--near-duplicates", nearDuplicates);
            cfg = cfg.withStageAfter("dedup", new PipelineConfig.StageSpec("near_dup", Map.of("action", action)))
                    .withOption("near_dup", "action", action);
        }
        if (!onModerationError.equals(ModerationStage.SKIP) && !onModerationError.equals(ModerationStage.FAIL)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--on-moderation-error must be skip or fail");
        }
        cfg = cfg.withOption("moderate", "onError", onModerationError);
        if (!local) {
            return onEngine(cfg);
        }
        Path work = workDir != null ? Path.of(workDir) : LocalRunner.defaultWorkDir(out);
        System.out.printf("work directory (quarantine, run state; not part of the release): %s%n", work);
        LocalRunner runner = new LocalRunner(cfg, shardSize);
        if (inputRoot != null) {
            runner = runner.withInputRoot(Path.of(inputRoot));
        }
        LocalRunner.Result r;
        try {
            r = runner.run(inputs, format, out, work);
        } catch (ModerationUnavailableException e) {
            System.err.println("curate stopped: " + e.getMessage() + ".");
            System.err.println("Finished steps and every moderation result already received are kept (" + work.resolve("run")
                    + "); fix the endpoint or key and rerun the same command to resume, or add --on-moderation-error skip.");
            return 3;
        }
        System.out.print(LocalRunner.summaryTable(r.counts()));
        requireConversations(r.counts(), r.output().numExamples(), r.quarantined(), r.quarantine());
        System.out.printf("%nquarantined input records: %,d; every rejected record with its reason: %s%n", r.quarantined(), r.quarantine());
        System.out.printf("release: %,d conversations in %d shard(s) under %s; card %s; provenance %s%n",
                r.output().numExamples(), r.output().shards().size(), out.resolve("data"), out.resolve("README.md"), r.provenance());
        return 0;
    }

    /**
     * Fails with "no data" (exit 3) when a run kept nothing it read: nothing readable, or every
     * record quarantined. A pipeline without stages has no counts: what it read and kept is what it wrote.
     */
    private void requireConversations(List<StageCounts> counts, long written, long quarantined, Object quarantineDir) {
        long read = counts.isEmpty() ? written : counts.get(0).seen();
        if (read == 0) {
            throw new UserError(ExitCode.NO_DATA, "read no conversations from " + String.join(" ", inputs)
                    + (quarantined > 0 ? ": all " + quarantined + " input records were quarantined (see " + quarantineDir + ")" : ""),
                    quarantined > 0 ? "check the files, or force the right format with --format" : "check the path: it holds no file in a known format");
        }
    }

    /** The pipeline on another engine (Spark), found by name so the local path never loads it. */
    private int onEngine(PipelineConfig cfg) throws IOException {
        Engine e = Engines.find(engine).orElseThrow(() -> new UserError(ExitCode.FAILED, "the " + engine + " engine is not on the class path",
                "build it with `mvn -B -DskipTests package -pl cli -am` and run through ./chatcorpus"));
        Map<String, String> settings = master == null ? Map.of() : Map.of("master", master);
        System.out.printf("engine: %s%s; work directory (quarantine; not part of the release): %s%n", engine, master == null ? "" : " (" + master + ")",
                workDir != null ? workDir : outLocation.replaceAll("/+$", "") + ".work");
        CurateResult r;
        try {
            r = e.curate(new CurateJob(cfg, shardSize, inputs, format, outLocation, workDir, inputRoot, settings));
        } catch (EngineUnavailableException x) {
            throw new UserError(ExitCode.FAILED, x.getMessage(), x.hint());
        }
        System.out.print(LocalRunner.summaryTable(r.counts()));
        requireConversations(r.counts(), r.numExamples(), r.quarantined(), r.quarantine());
        System.out.printf("%nquarantined input records: %,d; every rejected record with its reason: %s%n", r.quarantined(), r.quarantine());
        System.out.printf("release: %,d conversations in %d shard(s) under %s; card %s; provenance %s%n",
                r.numExamples(), r.shards(), r.data(), r.card(), r.provenance());
        return 0;
    }

    private int arena33k() throws IOException {
        if (config != null || dedupHighFrequency != null || nearDuplicates != null) {
            throw usage("--config, --dedup-high-frequency and --near-duplicates belong to the lmsys-chat-1m profile");
        }
        List<Path> logs = InputFiles.expand(inputs);
        Arena33kRelease.Options o = new Arena33kRelease.Options(blockedWords == null ? List.of() : words(blockedWords),
                ModerationStage.textModerator(moderation == null ? "none" : moderation),
                toxicChatTags == null ? null : Arena33kRelease.readToxicChatTags(toxicChatTags),
                sample == null ? 0 : sample, seed == null ? Arena33kRelease.SEED : seed);
        CountingQuarantine quarantine = Quarantine.counting();
        Arena33kRelease.Result r = Arena33kRelease.run(logs,
                text -> FastTextLanguageId.detect(text, LanguageStage.DEFAULT_MIN_CONFIDENCE), o, quarantine);
        Files.createDirectories(out);
        Path file = out.resolve("arena-conversations.jsonl");
        BattleWriters.write(r.battles().stream().map(org.chatcorpus.battles.Battle::withArena33kColumns).toList(), "arena-33k", file);
        ObjectMapper json = new ObjectMapper();
        ObjectNode prov = json.createObjectNode();
        prov.put("profile", ARENA_33K);
        prov.put("chatcorpus", ChatCorpusVersion.get());
        prov.put("seed", o.seed());
        prov.put("sample", o.sample());
        prov.put("moderation", moderation == null ? "none" : moderation);
        var in = prov.putArray("inputs");
        logs.forEach(p -> in.add(p.toString()));
        ObjectNode counts = prov.putObject("counts");
        r.counts().forEach(counts::put);
        prov.put("quarantined", quarantine.count());
        Files.writeString(out.resolve("provenance.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(prov));
        r.counts().forEach((k, v) -> System.out.printf("%-34s %,12d%n", k, v));
        System.out.printf("%nrelease: %,d battles in %s; provenance %s%n", r.battles().size(), file, out.resolve("provenance.json"));
        return 0;
    }

    /** A JSON list (blocked_words.json) or one word per line. */
    static List<String> words(Path file) throws IOException {
        String text = Files.readString(file);
        if (text.stripLeading().startsWith("[")) {
            JsonNode arr = new ObjectMapper().readTree(text);
            List<String> out = new ArrayList<>();
            arr.forEach(n -> out.add(n.asText()));
            return out;
        }
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    private String tagOrDrop(String option, String value) {
        if (!value.equals("tag") && !value.equals("drop")) {
            throw usage(option + " must be tag or drop, not '" + value + "'");
        }
        return value;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(new CommandLine(this), message);
    }

    static long defaultShard() {
        return ParquetShardWriter.DEFAULT_SHARD_BYTES;
    }
}
