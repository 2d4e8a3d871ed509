package org.chatcorpus.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.text.Utf16;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: any text — every plane of Unicode, lone surrogates (as JSON escapes, as a browser
 * sends them), NULs and control characters, one message of 20M+ characters — goes through reader →
 * curate → Parquet → reader without a crash and without a loss: each record comes back with its
 * text scrubbed by the one rule, or is a counted, quarantined drop. A rerun works too.
 */
class HostileTextCurateTest {
    @TempDir
    Path dir;

    /** A random string: code points from all planes, unpaired surrogates, NULs, controls, quotes and backslashes. */
    static String hostile(SplittableRandom r, int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            switch (r.nextInt(8)) {
                case 0 -> sb.append((char) (0xD800 + r.nextInt(0x800))); // any surrogate, usually unpaired
                case 1 -> sb.append('\u0000');
                case 2 -> sb.append((char) r.nextInt(0x20));
                case 3 -> sb.append("\"\\/");
                case 4 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); // supplementary planes, paired
                case 5 -> sb.append("word ");
                default -> {
                    int cp = r.nextInt(0x10000);
                    sb.append(Character.isSurrogate((char) cp) ? 'x' : (char) cp);
                }
            }
        }
        return sb.toString();
    }

    /** JSON string escaping by hand, so unpaired surrogates reach the file as \\uXXXX escapes, not as bytes. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    @Test
    void randomTextGoesThroughCurateAndBackScrubbedOrCountedNeverLost() throws Exception {
        long seed = Long.getLong("hostile.seed", System.nanoTime());
        System.out.println("HostileTextCurateTest seed " + seed + " (rerun with -Dhostile.seed=" + seed + ")");
        SplittableRandom r = new SplittableRandom(seed);
        int n = 400;
        Map<String, List<Message>> expected = new HashMap<>();
        Path in = dir.resolve("hostile.jsonl");
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String id = "c" + i + (i % 7 == 0 ? "\uDC01" : "");
            String prompt = i == 0 ? "x".repeat(20_000_050) : hostile(r, 1 + r.nextInt(300));
            String answer = hostile(r, r.nextInt(300));
            file.append("{\"conversation_id\":").append(quote(id)).append(",\"model\":").append(quote("m" + (i % 3)))
                    .append(",\"conversation\":[{\"role\":\"user\",\"content\":").append(quote(prompt))
                    .append("},{\"role\":\"assistant\",\"content\":").append(quote(answer)).append("}]}\n");
            expected.put(Utf16.scrub(id), List.of(Message.user(Utf16.scrub(prompt)), Message.assistant(Utf16.scrub(answer))));
        }
        Files.writeString(in, file, StandardCharsets.UTF_8);
        file = null;

        PipelineConfig cfg = new PipelineConfig(1, List.of(new PipelineConfig.StageSpec("validate", Map.of()),
                new PipelineConfig.StageSpec("dedup", Map.of()), new PipelineConfig.StageSpec("language", Map.of()),
                new PipelineConfig.StageSpec("moderate", Map.of("provider", "none"))));
        Path out = dir.resolve("release");
        for (int run = 0; run < 2; run++) { // the rerun into the same folder must work as well
            LocalRunner.Result res = new LocalRunner(cfg, 64 << 20).run(List.of(in.toString()), null, out);
            List<Conversation> back = new DatasetReader(List.of(out.toString()), null).readAll(Quarantine.counting());
            long dropped = res.counts().stream().mapToLong(StageCounts::droppedTotal).sum();
            assertThat(res.quarantined()).as("seed " + seed).isZero();
            assertThat(back.size() + dropped).as("seed " + seed).isEqualTo(n);
            for (Conversation c : back) {
                assertThat(c.conversation()).as("seed " + seed + " " + c.conversationId()).isEqualTo(expected.get(c.conversationId()));
            }
            assertThat(back).anyMatch(c -> c.firstPrompt().length() == 20_000_050);
        }
    }
}
