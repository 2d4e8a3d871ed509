package org.chatcorpus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/**
 * Real user prompts for the demo's simulated Arena visitors, from the public data in
 * {@code ../shared/data}: MT-bench questions (two turns each), the human turns of Anthropic HH
 * transcripts (harmless-base: many are red-team prompts, which is what moderation is for) and the
 * user turns of FastChat's ShareGPT-format sample. Each dialog is one visitor's list of messages.
 */
final class DemoPrompts {
    private static final int MAX_TURNS = 3;

    private DemoPrompts() {
    }

    static List<List<String>> load(Path shared, int hhDialogs) throws IOException {
        List<List<String>> dialogs = new ArrayList<>();
        Path mtBench = shared.resolve("mt-bench-questions.jsonl");
        if (Files.exists(mtBench)) {
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader r = Files.newBufferedReader(mtBench)) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isBlank()) {
                        continue;
                    }
                    List<String> turns = new ArrayList<>();
                    for (JsonNode t : json.readTree(line).path("turns")) {
                        turns.add(t.asText());
                    }
                    if (!turns.isEmpty()) {
                        dialogs.add(turns);
                    }
                }
            }
        }
        addUserTurns(shared.resolve("hh-rlhf-harmless-base-test.jsonl.gz"), hhDialogs, dialogs);
        addUserTurns(shared.resolve("fastchat-dummy-conversation.json"), Integer.MAX_VALUE, dialogs);
        return dialogs;
    }

    private static void addUserTurns(Path file, int limit, List<List<String>> dialogs) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        int added = 0;
        for (Conversation c : new DatasetReader(List.of(file.toString()), null).readAll(Quarantine.counting())) {
            if (added >= limit) {
                break;
            }
            List<String> turns = c.conversation().stream().filter(m -> "user".equals(m.role())).map(Message::content)
                    .filter(t -> !t.isBlank()).limit(MAX_TURNS).toList();
            if (!turns.isEmpty()) {
                dialogs.add(turns);
                added++;
            }
        }
    }
}
