package org.chatcorpus.core.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Id-for-id agreement with llama-tokenizer-js on 4,023 real texts: 79 languages (Leipzig
 * sentences), MT-bench questions, ShareGPT messages and HH-RLHF transcripts, emoji included. The
 * expected ids were produced by the peer (bench/peers/tokenizer/golden.mjs); the texts themselves
 * are read from ../shared/data, chosen the same way as bench/peers/tokenizer/texts.mjs.
 */
class LlamaConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Text(String source, long index, String text) {
    }

    static List<Text> texts() throws Exception {
        List<Text> out = new ArrayList<>();
        String[] langid = gunzip(SharedData.file("langid-sentences-dev.tsv.gz")).split("\n", -1);
        for (int i = 1; i < langid.length; i++) {
            if (langid[i].isEmpty() || (i - 1) % 8 != 0) {
                continue;
            }
            String[] cols = langid[i].split("\t", -1);
            out.add(new Text("langid", i, String.join("\t", java.util.Arrays.copyOfRange(cols, 2, cols.length))));
        }
        List<String> mt = Files.readAllLines(SharedData.file("mt-bench-questions.jsonl")).stream().filter(l -> !l.isEmpty()).toList();
        for (int i = 0; i < mt.size(); i++) {
            JsonNode turns = JSON.readTree(mt.get(i)).get("turns");
            for (int j = 0; j < turns.size(); j++) {
                out.add(new Text("mt-bench", i * 10L + j, turns.get(j).asText()));
            }
        }
        JsonNode sg = JSON.readTree(SharedData.file("fastchat-dummy-conversation.json").toFile());
        for (int i = 0; i < Math.min(150, sg.size()); i++) {
            JsonNode conv = sg.get(i).get("conversations");
            for (int j = 0; j < conv.size(); j++) {
                out.add(new Text("sharegpt", i * 1000L + j, conv.get(j).get("value").asText()));
            }
        }
        List<String> hh = List.of(gunzip(SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz")).split("\n")).stream()
                .filter(l -> !l.isEmpty()).limit(300).toList();
        for (int i = 0; i < hh.size(); i++) {
            out.add(new Text("hh", i, JSON.readTree(hh.get(i)).get("chosen").asText()));
        }
        return out;
    }

    private static String gunzip(Path f) throws Exception {
        try (var in = new GZIPInputStream(Files.newInputStream(f))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyIdMatchesTheJavascriptPeerOnThousandsOfRealTexts() throws Exception {
        LlamaTokenizer tokenizer = LlamaTokenizer.load(SharedData.file("llama-tokenizer/llama-tokenizer.json"));
        Map<String, int[]> expected = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                getClass().getResourceAsStream("/tokenizer/llama-js-golden.jsonl.gz")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                int[] ids = new int[n.get("ids").size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = n.get("ids").get(i).asInt();
                }
                expected.put(n.get("source").asText() + "#" + n.get("index").asLong(), ids);
            }
        }
        List<Text> texts = texts();
        assertThat(texts).hasSize(expected.size());
        int mismatches = 0;
        StringBuilder first = new StringBuilder();
        for (Text t : texts) {
            int[] want = expected.get(t.source() + "#" + t.index());
            int[] got = t.text().isEmpty() ? new int[0] : tokenizer.encode(t.text()); // the peer gives [] for ""
            if (!java.util.Arrays.equals(want, got)) {
                if (mismatches++ == 0) {
                    first.append(t.source()).append('#').append(t.index()).append(": ").append(t.text(), 0, Math.min(80, t.text().length()));
                }
            }
        }
        assertThat(mismatches).as("texts whose ids differ from llama-tokenizer-js; first: " + first).isZero();
    }

    @Test
    void countWordByWordEqualsThePeersLengthOnEveryRealText() throws Exception {
        LlamaTokenizer tokenizer = LlamaTokenizer.load(SharedData.file("llama-tokenizer/llama-tokenizer.json"));
        Map<String, Integer> expected = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                getClass().getResourceAsStream("/tokenizer/llama-js-golden.jsonl.gz")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                expected.put(n.get("source").asText() + "#" + n.get("index").asLong(), n.get("ids").size());
            }
        }
        // Twice: the first pass fills the word cache, the second reads from it.
        for (int pass = 0; pass < 2; pass++) {
            for (Text t : texts()) {
                int want = t.text().isEmpty() ? 1 : expected.get(t.source() + "#" + t.index()); // HF counts BOS for ""
                assertThat(tokenizer.count(t.text())).as("pass %d, %s#%d: %s", pass, t.source(), t.index(), t.text()).isEqualTo(want);
            }
        }
    }
}
