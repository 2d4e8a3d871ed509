package org.chatcorpus.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.InputFiles;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.pipeline.moderation.EmbeddingModerationModel;
import org.chatcorpus.pipeline.moderation.EmbeddingModerationTrainer;
import org.chatcorpus.pipeline.moderation.ModerationTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train-moderation", mixinStandardHelpOptions = true,
        description = {"Train the offline moderation model used by `curate --moderation local=MODEL`, from OpenAI's moderation "
                + "samples (prompt + S/H/V/HR/SH/S3/H2/V2 labels; a missing label is unknown) or from a release's own "
                + "openai_moderation tags.",
                "Kinds: `embedding` (default: \"flagged\" decided by support vector machines over MiniLM sentence vectors and "
                + "character n-grams, categories named by per-category logistic regression; metrics 5-fold cross-validated, settings "
                + "and thresholds chosen inside the training folds). With the default `--embedder static` (MiniLM's word pieces "
                + "embedded once at training, the table kept in the model file) a fast screen judges every message and MiniLM "
                + "itself gives a second opinion on the few the screen lets through (`--second-opinion none`: the screen alone, "
                + "lower F1). `ngram`: hashed word 1-2-grams + logistic regression; metrics on a held-out split; flags far more "
                + "ordinary chat. Prints per-category and flagged precision/recall/F1."},
        footer = {"", "Examples:", "  chatcorpus train-moderation ../shared/data/openai-moderation-dev.jsonl.gz --out moderation.model",
                "  chatcorpus curate clean_conv.json --out release/ --moderation local=moderation.model",
                "  chatcorpus train-moderation ../shared/data/openai-moderation-dev.jsonl.gz --second-opinion none --out moderation-fast.model",
                "  chatcorpus train-moderation ../shared/data/openai-moderation-dev.jsonl.gz --kind ngram --out moderation-ngram.model"})
final class TrainModerationCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    enum Kind { ngram, embedding }

    @Parameters(arity = "1..*", paramLabel = "DATA", description = "Labeled data files.")
    List<String> data;

    @Option(names = "--out", required = true, description = "Model file to write.")
    Path out;

    @Option(names = "--kind", defaultValue = "embedding", description = "embedding | ngram (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Option(names = "--embedder", defaultValue = "static", description = "For --kind embedding: static (MiniLM distilled to word-piece "
            + "vectors; fast) | minilm-q (the int8 transformer; slow) | minilm (full precision; slower) (default: ${DEFAULT-VALUE}).")
    String embedder;

    enum SecondOpinion { minilm, none }

    @Option(names = "--second-opinion", description = "For --kind embedding --embedder static: minilm (default: MiniLM judges what the "
            + "static screen lets through) | none (the screen alone: no transformer at run time).")
    SecondOpinion secondOpinion;

    @Option(names = "--holdout", defaultValue = "0.2", description = "For --kind ngram: held-out share for evaluation (default: ${DEFAULT-VALUE}).")
    double holdout;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Flags.between(spec, "--holdout", holdout, 0.0, 0.9);
        if (secondOpinion == SecondOpinion.minilm && !embedder.equals(EmbeddingModerationModel.STATIC)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--second-opinion minilm goes with --embedder static; --embedder " + embedder + " already runs the transformer on every message");
        }
        CountingQuarantine q = Quarantine.counting();
        List<Path> files = InputFiles.expand(data);
        ObjectNode metrics;
        try {
            if (kind == Kind.embedding) {
                boolean judge = embedder.equals(EmbeddingModerationModel.STATIC) && secondOpinion != SecondOpinion.none;
                EmbeddingModerationTrainer.Result r = EmbeddingModerationTrainer.train(files, embedder, judge, seed, q);
                r.model().save(out);
                metrics = r.cvMetrics();
                System.out.printf(Locale.ROOT, "trained on %,d texts; metrics from %d-fold cross-validation%n", r.examples(),
                        EmbeddingModerationTrainer.FOLDS);
            } else {
                ModerationTrainer.Result r = ModerationTrainer.train(files, holdout, seed, q);
                r.model().save(out);
                metrics = r.heldOutMetrics();
                System.out.printf(Locale.ROOT, "trained on %,d texts, evaluated on %,d held-out texts%n", r.trainSize(), r.testSize());
            }
        } catch (ModerationTrainer.NoLabeledTexts e) {
            throw new UserError(ExitCode.NO_DATA, "read no labeled texts from " + String.join(" ", data)
                    + (q.count() > 0 ? " (" + q.count() + " records quarantined; first: " + q.records().get(0).describe() + ")" : ""),
                    "give it OpenAI moderation samples (JSONL with prompt and S/H/V/... labels) or a release with openai_moderation", e);
        }
        System.out.printf(Locale.ROOT, "%-24s %9s %9s %9s %8s%n", "category", "precision", "recall", "f1", "support");
        metrics.fields().forEachRemaining(e -> System.out.printf(Locale.ROOT, "%-24s %9.3f %9.3f %9.3f %8d%n", e.getKey(),
                e.getValue().get("precision").asDouble(), e.getValue().get("recall").asDouble(), e.getValue().get("f1").asDouble(),
                e.getValue().get("support").asLong()));
        if (q.count() > 0) {
            System.out.println("skipped " + q.count() + " unreadable records");
        }
        System.out.println("wrote " + out);
        return 0;
    }
}
