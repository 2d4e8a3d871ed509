package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `stats` straight over FastChat's raw logs names languages as clean_chat_data.py did (the logs carry none). */
class StatsFastChatLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String chat(String convId, String prompt, String answer, double tstamp) throws Exception {
        var row = JSON.createObjectNode();
        row.put("tstamp", tstamp).put("type", "chat").put("model", "vicuna-13b").put("ip", "198.51.100.7");
        var state = row.putObject("state");
        state.put("conv_id", convId).put("offset", 0);
        state.putArray("messages").add(JSON.createArrayNode().add("USER").add(prompt)).add(JSON.createArrayNode().add("ASSISTANT").add(answer));
        return JSON.writeValueAsString(row);
    }

    @Test
    void languagesAreCountedWhenReadingLogsDirectly() throws Exception {
        Path log = dir.resolve("2023-08-01-conv.json");
        Files.write(log, List.of(
                chat("a", "What is the capital of France, and why did it become the capital?", "Paris.", 1),
                chat("b", "Quelle est la capitale de la France et pourquoi est-elle devenue la capitale ?", "Paris.", 2),
                chat("c", "Can you explain how photosynthesis works in simple words for a child?", "Plants eat light.", 3)));
        Path json = dir.resolve("stats.json");
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
        try {
            assertThat(ChatCorpus.execute("stats", log.toString(), "--format", "fastchat-log", "--tokenizer", "none",
                    "--json", json.toString())).isZero();
        } finally {
            System.setOut(old);
        }
        JsonNode s = JSON.readTree(json.toFile());
        assertThat(s.get("conversations").asLong()).isEqualTo(3);
        assertThat(s.get("languages").asLong()).isEqualTo(2);
        assertThat(s.toString()).contains("English").contains("French");
    }
}
