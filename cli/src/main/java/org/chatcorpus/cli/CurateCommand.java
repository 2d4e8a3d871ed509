package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.pipeline.LocalRunner;
import org.chatcorpus.pipeline.PipelineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "curate", mixinStandardHelpOptions = true,
        description = {"Turn raw chat logs into a release like LMSYS-Chat-1M: validate -> filter -> dedup -> language -> "
                + "redact -> moderate -> sample -> write (HF Parquet shards, dataset card, provenance.json, quarantine/).",
                "Resumable: rerun the same command after an interruption and finished steps are skipped."},
        footer = {"", "Examples:", "  chatcorpus curate logs/ --out release/",
                "  chatcorpus curate raw.jsonl --out release/ --config pipeline.yaml --moderation local=moderation.model"})
final class CurateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

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

    @Option(names = "--shard-size", defaultValue = "268435456", description = "Target bytes per shard (default: ${DEFAULT-VALUE}).")
    long shardSize;

    @Override
    public Integer call() throws Exception {
        if (sample != null) {
            Flags.atLeast(spec, "--sample", sample, 1);
        }
        Flags.atLeast(spec, "--shard-size", shardSize, 1024);
        Inputs.requireFile(config, "--config");
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
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--near-duplicates must be tag or drop, got " + nearDuplicates);
            }
            cfg = cfg.withStageAfter("dedup", new PipelineConfig.StageSpec("near_dup", java.util.Map.of("action", nearDuplicates)))
                    .withOption("near_dup", "action", nearDuplicates);
        }
        LocalRunner.Result r = new LocalRunner(cfg, shardSize).run(inputs, format, out);
        System.out.print(LocalRunner.summaryTable(r.counts()));
        long read = r.counts().isEmpty() ? 0 : r.counts().get(0).seen();
        if (read == 0) {
            throw new UserError(ExitCode.NO_DATA, "read no conversations from " + String.join(" ", inputs)
                    + (r.quarantined() > 0 ? ": all " + r.quarantined() + " input records were quarantined (see " + out.resolve("quarantine") + ")" : ""),
                    r.quarantined() > 0 ? "check the files, or force the right format with --format" : "check the path: it holds no file in a known format");
        }
        System.out.printf("%nquarantined input records: %,d (see %s)%n", r.quarantined(), out.resolve("quarantine"));
        System.out.printf("release: %,d conversations in %d shard(s) under %s; card %s; provenance %s%n",
                r.output().numExamples(), r.output().shards().size(), out.resolve("data"), out.resolve("README.md"), r.provenance());
        return 0;
    }

    static long defaultShard() {
        return ParquetShardWriter.DEFAULT_SHARD_BYTES;
    }
}
