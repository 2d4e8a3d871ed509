package org.chatcorpus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.pipeline.LocalRunner;
import org.chatcorpus.pipeline.PipelineConfig;
import org.chatcorpus.server.arena.ArenaConfig;
import org.chatcorpus.server.arena.ArenaService;
import org.chatcorpus.server.arena.TrafficReplay;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Arena's own logs go through {@code curate} unchanged: every conversation the server logged
 * (its last state) comes out of the release with the same model and the same messages, except the
 * ones the seed system also drops (model network errors), and hostile text survives byte for byte.
 */
class ArenaLogsCurateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void serverLogsBecomeAReleaseWithEveryConversationIntact() throws Exception {
        List<List<String>> dialogs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            dialogs.add(List.of("How do I sort a list in Python? (question " + i + ")", "And in reverse order?"));
        }
        dialogs.add(List.of("<script>window.pwned=1</script><img src=x onerror=alert(1)> what is this?"));
        dialogs.add(List.of("Ünïcödé ✓ 你好，世界 😀 — and a tab\there"));
        Path arena = dir.resolve("arena");
        try (ScriptedModelServer models = ScriptedModelServer.start(0)) {
            List<ModelEndpoint> endpoints = new ArrayList<>(ArenaConfig.scriptedModels(models.baseUrl()));
            endpoints.add(new ModelEndpoint("broken-7b", models.baseUrl(), "broken-7b", null, 0.7, 64));
            ArenaConfig cfg = ArenaConfig.defaults().withModels(endpoints).withDataDir(arena.toString())
                    .withLimits(new ArenaConfig.Limits(100_000, 0, 0));
            try (ArenaService service = ArenaService.open(cfg)) {
                TrafficReplay.Summary s = new TrafficReplay(service, Map.of(), 0.5, 10, 7).replay(dialogs);
                assertThat(s.rejected()).isZero();
                assertThat(s.chats() + s.battles()).isEqualTo(dialogs.size());
            }
        }
        Map<String, JsonNode> lastState = lastStatePerConversation(arena.resolve("logs"));
        Map<String, JsonNode> expected = new HashMap<>();
        int networkErrors = 0;
        for (var e : lastState.entrySet()) {
            if (e.getValue().toString().contains("NETWORK ERROR")) {
                networkErrors++;
            } else {
                expected.put(e.getKey(), e.getValue());
            }
        }
        assertThat(expected).hasSizeGreaterThan(60);

        Path release = dir.resolve("release");
        PipelineConfig pipeline = PipelineConfig.defaults().withOption("moderate", "provider", "none");
        LocalRunner.Result r = new LocalRunner(pipeline, 1 << 20).run(List.of(arena.resolve("logs").toString()), null, release);

        assertThat(r.output().numExamples()).isEqualTo(expected.size());
        List<Conversation> out = new DatasetReader(List.of(release.toString()), null).readAll(Quarantine.counting());
        assertThat(out).hasSize(expected.size());
        for (Conversation c : out) {
            JsonNode state = expected.get(c.conversationId());
            assertThat(state).as("conversation %s was logged", c.conversationId()).isNotNull();
            assertThat(c.model()).isEqualTo(state.path("model_name").asText());
            List<Message> logged = new ArrayList<>();
            for (JsonNode m : state.path("messages")) {
                logged.add(m.get(0).asText().equals(state.path("roles").get(0).asText()) ? Message.user(m.get(1).asText()) : Message.assistant(m.get(1).asText()));
            }
            int offset = state.path("offset").asInt();
            assertThat(c.conversation()).as("messages of %s", c.conversationId()).isEqualTo(logged.subList(offset, logged.size()));
            assertThat(c.turn()).isEqualTo(c.conversation().size() / 2);
            assertThat(c.redacted()).isFalse();
        }
        assertThat(out).anySatisfy(c -> assertThat(c.firstPrompt()).startsWith("<script>window.pwned=1</script>"));
        assertThat(out).anySatisfy(c -> assertThat(c.firstPrompt()).isEqualTo("Ünïcödé ✓ 你好，世界 😀 — and a tab\there"));
        System.out.printf("arena logs → release: %d conversations kept, %d network errors dropped%n", out.size(), networkErrors);
    }

    /** The last logged state of each conversation, read straight from the JSON lines (not through our reader). */
    private static Map<String, JsonNode> lastStatePerConversation(Path logs) throws Exception {
        Map<String, JsonNode> last = new HashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.filter(p -> p.getFileName().toString().endsWith("-conv.json")).sorted().toList();
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                JsonNode row = JSON.readTree(line);
                List<JsonNode> states = new ArrayList<>();
                if (row.has("state")) {
                    states.add(row.get("state"));
                }
                row.path("states").forEach(states::add);
                for (JsonNode st : states) {
                    last.put(st.path("conv_id").asText(), st);
                }
            }
        }
        return last;
    }
}
