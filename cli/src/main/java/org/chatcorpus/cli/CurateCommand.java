package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.pipeline.LocalRunner;
import org.chatcorpus.pipeline.PipelineConfig;
import org.chatcorpus.pipeline.moderation.ModerationStage;
import org.chatcorpus.pipeline.moderation.ModerationUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "curate", mixinStandardHelpOptions = true,
        description = {"Turn raw chat logs into a release like LMSYS-Chat-1M: validate -> filter -> dedup -> language -> "
                + "redact -> moderate -> sample -> write (HF Parquet shards, dataset card, provenance.json).",
                "The release folder holds only what may be published. The quarantine of rejected records (which can hold "
                        + "IPs and unredacted text) and the run state go to the work directory, by default OUT.work/ beside it.",
                "Resumable: rerun the same command after an interruption and finished steps are skipped."},
        footer = {"", "Examples:", "  chatcorpus curate logs/ --out release/",
                "  chatcorpus curate raw.jsonl --out release/ --config pipeline.yaml --moderation local=moderation.model",
                "  chatcorpus curate logs/ --out release/ --moderation openai --on-moderation-error skip --work-dir /tmp/curate-work"})
final class CurateCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Files, directories or globs (FastChat logs, JSONL, Parquet, …).")
    List<String> inputs;

    @Option(names = "--out", required = true, description = "Release directory to write.")
    Path out;

    @Option(names = "--config", description = "Pipeline file (YAML or JSON); default: the seed system's order.")
    Path config;

    @Option(names = "--moderation", description = "openai | local=MODEL_FILE | none (overrides the pipeline file).")
    String moderation;

    @Option(names = "--format", description = "Force the input format instead of detecting it.")
    String format;

    @Option(names = "--seed", description = "Seed (overrides the pipeline file).")
    Long seed;

    @Option(names = "--sample", description = "Keep a seeded random sample of N conversations.")
    Long sample;

    @Option(names = "--near-duplicates", paramLabel = "tag|drop",
            description = "Add MinHash LSH near-duplicate detection after dedup: tag (write near_duplicates.jsonl) or drop.")
    String nearDuplicates;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Quarantine and run state (default: OUT.work beside the release folder; never publish it).")
    Path workDir;

    @Option(names = "--input-root", paramLabel = "DIR",
            description = "Folder that provenance.json input paths are relative to (default: the inputs' common folder).")
    Path inputRoot;

    @Option(names = "--on-moderation-error", paramLabel = "skip|fail", defaultValue = "fail",
            description = "When the moderation endpoint refuses or keeps failing: fail (stop; rerun resumes) or skip "
                    + "(keep those conversations unmoderated, counted and listed in the work directory). Default: ${DEFAULT-VALUE}.")
    String onModerationError;

    @Option(names = "--shard-size", defaultValue = "268435456", description = "Target bytes per shard (default: ${DEFAULT-VALUE}).")
    long shardSize;

    @Override
    public Integer call() throws Exception {
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
        if (nearDuplicates != null) {
            if (!nearDuplicates.equals("tag") && !nearDuplicates.equals("drop")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--near-duplicates must be tag or drop");
            }
            cfg = cfg.withStageAfter("dedup", new PipelineConfig.StageSpec("near_dup", java.util.Map.of("action", nearDuplicates)))
                    .withOption("near_dup", "action", nearDuplicates);
        }
        if (!onModerationError.equals(ModerationStage.SKIP) && !onModerationError.equals(ModerationStage.FAIL)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--on-moderation-error must be skip or fail");
        }
        cfg = cfg.withOption("moderate", "onError", onModerationError);
        Path work = workDir != null ? workDir : LocalRunner.defaultWorkDir(out);
        System.out.printf("work directory (quarantine, run state; not part of the release): %s%n", work);
        LocalRunner runner = new LocalRunner(cfg, shardSize);
        if (inputRoot != null) {
            runner = runner.withInputRoot(inputRoot);
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
        System.out.printf("%nquarantined input records: %,d; every rejected record with its reason: %s%n", r.quarantined(), r.quarantine());
        System.out.printf("release: %,d conversations in %d shard(s) under %s; card %s; provenance %s%n",
                r.output().numExamples(), r.output().shards().size(), out.resolve("data"), out.resolve("README.md"), r.provenance());
        return 0;
    }

    static long defaultShard() {
        return ParquetShardWriter.DEFAULT_SHARD_BYTES;
    }
}
