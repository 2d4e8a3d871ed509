package org.chatcorpus.bench.language;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.pipeline.language.FastTextLanguageId;
import org.chatcorpus.pipeline.language.LanguageDetector;
import org.chatcorpus.pipeline.language.LanguageStage;

/**
 * Language ID: ours (Optimaize profiles + chat-language prior) vs Lingua 1.2.2 (all 75 languages,
 * preloaded models) on the same texts, single thread: the 23,700 Leipzig sentences of 79 languages
 * in ../shared/data/langid-sentences-dev.tsv.gz and the 2,312 short English first prompts of
 * HH-RLHF harmless-base test. Prints accuracy and sentences/s for both and the speed ratio.
 * Usage: LanguageBench SHARED_DATA_DIR
 */
public final class LanguageBench {
    record Labeled(String language, String text) {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/data");
        List<Labeled> sentences = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(shared.resolve("langid-sentences-dev.tsv.gz"))), StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] cols = line.split("\t", 3);
                if (cols.length == 3) {
                    sentences.add(new Labeled(cols[1], cols[2]));
                }
            }
        }
        List<Labeled> prompts = new ArrayList<>();
        for (Conversation c : new DatasetReader(List.of(shared.resolve("hh-rlhf-harmless-base-test.jsonl.gz").toString()), null)
                .readAll(Quarantine.counting())) {
            prompts.add(new Labeled("English", c.firstPrompt()));
        }

        Function<String, String> ours = t -> FastTextLanguageId.detect(t, LanguageStage.DEFAULT_MIN_CONFIDENCE);
        Function<String, String> previous = t -> LanguageDetector.detect(t, LanguageStage.DEFAULT_MIN_CONFIDENCE);
        long b0 = System.nanoTime();
        com.github.pemistahl.lingua.api.LanguageDetector lingua = LanguageDetectorBuilder.fromAllLanguages().withPreloadedLanguageModels().build();
        System.out.printf(Locale.ROOT, "lingua model load: %.1f s%n", (System.nanoTime() - b0) / 1e9);
        Function<String, String> peer = t -> linguaName(lingua.detectLanguageOf(t));

        ours.apply("warm up the model");
        previous.apply("warm up the profiles");
        System.out.println("one thread each; fastText = ours (default), optimaize = the previous default, lingua = the peer");
        System.out.printf(Locale.ROOT, "%-34s %9s %11s %9s %11s %9s %11s%n", "texts", "fastText", "sent/s", "optimaize", "sent/s",
                "lingua", "sent/s");
        for (var set : List.of(List.of("Leipzig sentences, 79 languages", sentences), List.of("HH-RLHF short English prompts", prompts))) {
            @SuppressWarnings("unchecked")
            List<Labeled> texts = (List<Labeled>) set.get(1);
            double[] o = run(ours, texts);
            double[] v = run(previous, texts);
            double[] p = run(peer, texts);
            System.out.printf(Locale.ROOT, "%-34s %9.3f %,11.0f %9.3f %,11.0f %9.3f %,11.0f   (speed fastText/lingua %.1fx)%n", set.get(0),
                    o[0], o[1], v[0], v[1], p[0], p[1], o[1] / p[1]);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();
        // Summed, not counted: Stream.count() may skip the map step when the size is known.
        long n = sentences.parallelStream().mapToLong(l -> ours.apply(l.text()).length() > 0 ? 1 : 0).sum();
        System.out.printf(Locale.ROOT, "fastText on %d cores: %,.0f sentences/s%n", cores, n / ((System.nanoTime() - t0) / 1e9));
    }

    /** {accuracy, texts per second}, two passes, the second timed. */
    private static double[] run(Function<String, String> detector, List<Labeled> texts) {
        int right = 0;
        for (Labeled l : texts) {
            detector.apply(l.text());
        }
        long t0 = System.nanoTime();
        for (Labeled l : texts) {
            if (detector.apply(l.text()).equals(l.language())) {
                right++;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new double[] {right / (double) texts.size(), texts.size() / s};
    }

    /** Lingua's enum names as the dataset writes languages ("ENGLISH" → "English"; Bokmål/Nynorsk → Norwegian). */
    static String linguaName(Language l) {
        if (l == Language.UNKNOWN) {
            return "unknown";
        }
        if (l == Language.BOKMAL || l == Language.NYNORSK) {
            return "Norwegian";
        }
        String n = l.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }
}
