package org.chatcorpus.bench.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.tokenize.LlamaTokenizer;

/**
 * Llama token counting throughput: chatcorpus' LlamaTokenizer vs llama-tokenizer-js (Node) on the
 * same texts — the conformance selection of bench/peers/tokenizer/texts.mjs, repeated R times —
 * with every id compared first. Usage: TokenizerBench [SHARED_DATA_DIR] [repeat]
 */
public final class TokenizerBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/data");
        Path peer = Path.of("bench/peers/tokenizer");
        run(peer, List.of("npm", "install", "--silent"), null);
        LlamaTokenizer tok = LlamaTokenizer.load(shared.resolve("llama-tokenizer/llama-tokenizer.json"));

        // 1. Every id must match the peer's.
        String golden = run(peer, List.of("node", "golden.mjs", shared.toAbsolutePath().toString()), null);
        List<String> texts = texts(shared);
        String[] lines = golden.split("\n");
        if (lines.length != texts.size()) {
            throw new IllegalStateException("peer produced " + lines.length + " texts, we have " + texts.size());
        }
        long mismatches = 0;
        for (int i = 0; i < lines.length; i++) {
            JsonNode ids = JSON.readTree(lines[i]).get("ids");
            int[] want = new int[ids.size()];
            for (int j = 0; j < want.length; j++) {
                want[j] = ids.get(j).asInt();
            }
            int[] got = texts.get(i).isEmpty() ? new int[0] : tok.encode(texts.get(i));
            if (!Arrays.equals(want, got)) {
                mismatches++;
            }
        }
        System.out.printf(Locale.ROOT, "id check: %,d texts, %d mismatches%n", texts.size(), mismatches);

        // 2. Throughput, best of 5 passes after warm-up, vs the peer timed inside Node (after loading).
        long tokens = 0;
        for (int w = 0; w < 3; w++) {
            tokens = 0;
            for (String t : texts) {
                tokens += tok.count(t);
            }
        }
        double best = Double.MAX_VALUE;
        for (int p = 0; p < 5; p++) {
            long s = System.nanoTime();
            for (String t : texts) {
                tok.count(t);
            }
            best = Math.min(best, (System.nanoTime() - s) / 1e9);
        }
        // The passes above repeat the same texts, so count's word cache is warmer than on a stream of
        // new text: also time one pass of a freshly loaded tokenizer (cold word cache, warm JIT), and
        // the whole-text merge (encode) that count used before the cache.
        LlamaTokenizer fresh = LlamaTokenizer.load(shared.resolve("llama-tokenizer/llama-tokenizer.json"));
        long s0 = System.nanoTime();
        for (String t : texts) {
            fresh.count(t);
        }
        double cold = (System.nanoTime() - s0) / 1e9;
        double bestWhole = Double.MAX_VALUE;
        for (int p = 0; p < 3; p++) {
            long s = System.nanoTime();
            for (String t : texts) {
                tok.encode(t);
            }
            bestWhole = Math.min(bestWhole, (System.nanoTime() - s) / 1e9);
        }
        System.out.printf(Locale.ROOT, "chatcorpus count, one pass with a cold word cache: %.3fs = %,.0f tokens/s; whole-text merge (encode): %.3fs ="
                + " %,.0f tokens/s (1 thread)%n", cold, tokens / cold, bestWhole, tokens / bestWhole);
        JsonNode js = JSON.readTree(run(peer, List.of("node", "throughput.mjs", shared.toAbsolutePath().toString(), "5"), null));
        double jsSeconds = js.get("seconds").asDouble();
        System.out.printf(Locale.ROOT, "chatcorpus LlamaTokenizer: %.3fs for %,d texts / %,d tokens = %,.0f tokens/s (1 thread)%n",
                best, texts.size(), tokens, tokens / best);
        System.out.printf(Locale.ROOT, "llama-tokenizer-js 1.2.2:  %.3fs = %,.0f tokens/s (node, 1 thread)%n",
                jsSeconds, js.get("tokens").asLong() / jsSeconds);
        System.out.printf(Locale.ROOT, "ratio (js time / chatcorpus time): %.2fx%n", jsSeconds / best);
    }

    /** Same selection as bench/peers/tokenizer/texts.mjs. */
    static List<String> texts(Path shared) throws Exception {
        List<String> out = new ArrayList<>();
        String[] langid = gunzip(shared.resolve("langid-sentences-dev.tsv.gz")).split("\n", -1);
        for (int i = 1; i < langid.length; i++) {
            if (!langid[i].isEmpty() && (i - 1) % 8 == 0) {
                String[] cols = langid[i].split("\t", -1);
                out.add(String.join("\t", Arrays.copyOfRange(cols, 2, cols.length)));
            }
        }
        for (String l : Files.readAllLines(shared.resolve("mt-bench-questions.jsonl"))) {
            if (!l.isEmpty()) {
                JSON.readTree(l).get("turns").forEach(t -> out.add(t.asText()));
            }
        }
        JsonNode sg = JSON.readTree(shared.resolve("fastchat-dummy-conversation.json").toFile());
        for (int i = 0; i < Math.min(150, sg.size()); i++) {
            sg.get(i).get("conversations").forEach(m -> out.add(m.get("value").asText()));
        }
        String[] hh = gunzip(shared.resolve("hh-rlhf-harmless-base-test.jsonl.gz")).split("\n");
        int n = 0;
        for (String l : hh) {
            if (!l.isEmpty() && n++ < 300) {
                out.add(JSON.readTree(l).get("chosen").asText());
            }
        }
        return out;
    }

    private static String gunzip(Path f) throws Exception {
        try (var in = new GZIPInputStream(Files.newInputStream(f))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String run(Path dir, List<String> cmd, String stdin) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().reduce("", (a, b) -> a.isEmpty() ? b : a + "\n" + b);
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
        return out;
    }
}
