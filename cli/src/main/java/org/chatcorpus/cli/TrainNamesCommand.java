package org.chatcorpus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chatcorpus.pipeline.redact.NameModel;
import org.chatcorpus.pipeline.redact.NameTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train-names", mixinStandardHelpOptions = true,
        description = {"Train the person-name model that `curate` (the redact stage) uses to replace names with NAME_n.",
                "An averaged-perceptron tagger of capitalised words (name or not, the previous tag a feature), trained only on generated text: sentence "
                + "templates filled with datafaker names of 34 locales, places, products and common words. The same seed "
                + "and settings give the same model file, byte for byte; the model shipped with chatcorpus is "
                + "`train-names --seed 42` with the default settings. Prints the file's SHA-256."},
        footer = {"", "Examples:", "  chatcorpus train-names --out names.model",
                "  chatcorpus train-names --out names-small.model --seed 7 --sentences 5000 --epochs 3"})
final class TrainNamesCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "Model file to write.")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated text and of the training order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sentences", defaultValue = "80000", description = "Generated training texts (default: ${DEFAULT-VALUE}).")
    int sentences;

    @Option(names = "--epochs", defaultValue = "8", description = "Passes over the texts (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--bits", defaultValue = "18", description = "Feature hash size, 2^bits slots per tag, 10..22 (default: ${DEFAULT-VALUE}).")
    int bits;

    @Override
    public Integer call() throws Exception {
        Flags.atLeast(spec, "--sentences", sentences, 1);
        Flags.atLeast(spec, "--epochs", epochs, 1);
        Flags.between(spec, "--bits", bits, 10, 22);
        long t0 = System.nanoTime();
        NameModel model = NameTrainer.train(new NameTrainer.Config(seed, sentences, epochs, bits));
        try {
            model.save(out);
        } catch (IOException e) {
            Path folder = out.toAbsolutePath().getParent();
            String why = folder != null && !Files.isDirectory(folder) ? "its folder does not exist" : "it cannot be written";
            throw new UserError(ExitCode.FAILED, "cannot write the model to " + out + ": " + why,
                    "give --out a path in a writable directory", e);
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out)));
        System.out.printf(Locale.ROOT, "trained on %,d generated texts, %d epochs, 2^%d feature slots in %.1f s%n", sentences, epochs, bits,
                (System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "wrote %s (%,d bytes, sha256 %s)%n", out, Files.size(out), sha);
        return ExitCode.OK;
    }
}
