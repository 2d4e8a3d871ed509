package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.io.BattleReaders;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.preference.BattleEmbeddings;
import org.chatcorpus.preference.PreferenceFeatures;
import org.chatcorpus.preference.PreferenceModel;
import org.chatcorpus.preference.PreferenceTrainer;
import org.chatcorpus.preference.Submission;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "preference", mixinStandardHelpOptions = true,
        description = "A human-preference predictor for the Kaggle \"LMSYS - Chatbot Arena Human Preference\" task.",
        subcommands = {PreferenceCommand.Train.class, PreferenceCommand.Predict.class},
        footer = {"", "Example:", "  chatcorpus preference train train.csv --out pref.model",
                "  chatcorpus preference predict pref.model test.csv --out submission.csv"})
final class PreferenceCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static List<Battle> read(List<String> inputs, String format, long seed) throws Exception {
        CountingQuarantine quarantine = Quarantine.counting();
        BattleReaders.Loaded loaded = BattleReaders.read(inputs, format, seed, quarantine);
        quarantine.records().stream().limit(10).forEach(q -> System.err.println(q.describe()));
        System.out.println("read " + loaded.perFormat() + ", quarantined " + quarantine.count());
        return loaded.battles();
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train on labeled battles (any battle format: the Kaggle train.csv, arena-33k, clean-battle conv files, HH pairs…): "
                    + "response lengths and their A-B differences, turns, markdown structure, refusal phrases, prompt overlap and MiniLM "
                    + "sentence embeddings, with position-swap augmentation, by L2-regularised logistic regression (LIBLINEAR through Tribuo).",
                    "Prints the k-fold log loss beside the class-prior log loss; --holdout F also scores a seeded held-out share against "
                            + "the prior and a length-only model."},
            footer = {"", "Examples:", "  chatcorpus preference train train.csv --out pref.model",
                    "  chatcorpus preference train ../shared/data/hh-rlhf-harmless-base-test.jsonl.gz --format hh-pairs --holdout 0.2 --out hh.model"})
    static final class Train implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "DATA", description = "Labeled battle files, directories or globs.")
        List<String> inputs;

        @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Model file to write.")
        Path out;

        @Option(names = "--format", defaultValue = "auto", description = "Force the input layout (default: detected per file).")
        String format;

        @Option(names = "--embedder", defaultValue = "minilm-q", description = "Sentence embeddings: minilm-q (int8, default), minilm, none.")
        String embedder;

        @Option(names = "--embedding-cache", paramLabel = "FILE", description = "Reuse embeddings from FILE when it holds these texts; write it otherwise.")
        Path embeddingCache;

        @Option(names = "--features", defaultValue = "all", description = "all (default) or length (the length-only baseline).")
        String features;

        @Option(names = "--folds", defaultValue = "5", description = "k of the k-fold log loss; 0 skips it (default: ${DEFAULT-VALUE}).")
        int folds;

        @Option(names = "--holdout", paramLabel = "F", description = "Also score a seeded held-out share F (e.g. 0.2): model vs prior vs length-only.")
        Double holdout;

        @Option(names = "--cost", defaultValue = "0.0005", description = "LIBLINEAR's C; smaller regularises more (default: ${DEFAULT-VALUE}).")
        double cost;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of folds, the solver and the HH coin (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            if (!BattleEmbeddings.NAMES.contains(embedder)) {
                System.err.println("--embedder " + embedder + ": use one of " + String.join(", ", BattleEmbeddings.NAMES));
                return 2;
            }
            PreferenceFeatures.Kind kind = PreferenceFeatures.Kind.valueOf(features.toUpperCase(Locale.ROOT));
            List<Battle> all = read(inputs, format, seed).stream().filter(Battle::labeled).toList();
            if (all.isEmpty()) {
                System.err.println("no labeled battles in " + String.join(" ", inputs) + "; training needs winners (a Kaggle train.csv, Arena battles, HH pairs)");
                return 2;
            }
            long start = System.nanoTime();
            float[][][] emb = kind == PreferenceFeatures.Kind.ALL ? BattleEmbeddings.of(all, embedder, embeddingCache) : null;
            System.out.printf(Locale.ROOT, "%d labeled battles; features %s, embedder %s (%.1f s)%n", all.size(), features,
                    kind == PreferenceFeatures.Kind.ALL ? embedder : "none", (System.nanoTime() - start) / 1e9);
            PreferenceTrainer trainer = new PreferenceTrainer(new PreferenceTrainer.Options(kind, embedder, cost, seed));
            if (folds > 1) {
                PreferenceTrainer.Scores cv = trainer.crossValidate(all, emb, folds);
                System.out.printf(Locale.ROOT, "%d-fold log loss: %.4f (class prior: %.4f) over %d battles%n", folds, cv.model(), cv.prior(), cv.battles());
            }
            if (holdout != null) {
                List<List<Integer>> split = PreferenceTrainer.split(all, holdout, seed);
                List<Battle> train = pick(all, split.get(0));
                List<Battle> test = pick(all, split.get(1));
                PreferenceTrainer.Scores s = trainer.evaluate(train, pick(emb, split.get(0)), test, pick(emb, split.get(1)));
                PreferenceTrainer lengthOnly = new PreferenceTrainer(new PreferenceTrainer.Options(PreferenceFeatures.Kind.LENGTH, "none", cost, seed));
                PreferenceTrainer.Scores l = lengthOnly.evaluate(train, null, test, null);
                System.out.printf(Locale.ROOT, "held-out log loss on %d battles (trained on %d): model %.4f, class prior %.4f, length-only logistic %.4f%n",
                        test.size(), train.size(), s.model(), s.prior(), l.model());
            }
            PreferenceModel model = trainer.train(all, emb);
            model.save(out);
            System.out.printf(Locale.ROOT, "wrote %s (%.1f s)%n", out, (System.nanoTime() - start) / 1e9);
            return 0;
        }

        private static <T> List<T> pick(List<T> all, List<Integer> idx) {
            List<T> out = new ArrayList<>(idx.size());
            idx.forEach(i -> out.add(all.get(i)));
            return out;
        }

        private static float[][][] pick(float[][][] all, List<Integer> idx) {
            if (all == null) {
                return null;
            }
            float[][][] out = new float[idx.size()][][];
            for (int i = 0; i < idx.size(); i++) {
                out[i] = all[idx.get(i)];
            }
            return out;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Predict P(A wins), P(B wins), P(tie) for every battle of INPUT (e.g. the Kaggle test.csv, or pairs mined "
                    + "with `chatcorpus pairs`) and write the submission: header id,winner_model_a,winner_model_b,winner_tie, one row per "
                    + "input row, rows summing to 1."},
            footer = {"", "Example:", "  chatcorpus preference predict pref.model test.csv --out submission.csv"})
    static final class Predict implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL", description = "A model from `preference train`.")
        Path model;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT", description = "Battle files (labels, if any, are ignored).")
        List<String> inputs;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Submission CSV to write.")
        Path out;

        @Option(names = "--format", defaultValue = "auto", description = "Force the input layout (default: detected per file).")
        String format;

        @Override
        public Integer call() throws Exception {
            PreferenceModel m = PreferenceModel.load(model);
            List<Battle> battles = read(inputs, format, 0);
            Submission.write(battles, m.predict(battles), out);
            System.out.println("wrote " + battles.size() + " predictions to " + out);
            return 0;
        }
    }
}
