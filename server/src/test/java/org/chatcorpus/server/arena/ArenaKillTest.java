package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.chatcorpus.server.storage.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost: the Arena runs in its own JVM under load from several users
 * (chats, upvotes, battles, battle votes), is killed with SIGKILL in the middle of it, restarted on
 * the same data, loaded and killed again; then every event a user was told about (an answer's
 * {@code done} event, a vote's 200) is in the log exactly once, every log line is whole JSON, and
 * the database holds exactly the log's lines.
 */
class ArenaKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 3;
    private static final int USERS = 6;

    @TempDir
    Path data;

    /** What the users were told succeeded: event kind → the prompt that identifies it. */
    private final List<String[]> acked = Collections.synchronizedList(new ArrayList<>());

    @Test
    void everyAcknowledgedEventSurvivesKillNineExactlyOnceInLogAndDatabase() throws Exception {
        List<String> notes = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Process arena = startArena(notes);
            int port = Integer.parseInt(notes.remove(notes.size() - 1));
            int before = acked.size();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService users = Executors.newFixedThreadPool(USERS);
            List<Future<?>> running = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                String who = "r" + round + "u" + u;
                running.add(users.submit(() -> drive(port, who, stop)));
            }
            // Kill once the users have been acknowledged a fair number of events, while they keep sending.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.size() - before < 150 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            arena.destroyForcibly();
            arena.waitFor();
            stop.set(true);
            for (Future<?> f : running) {
                f.get();
            }
            users.shutdown();
            assertThat(acked.size() - before).as("events acknowledged in round " + round).isGreaterThanOrEqualTo(150);
        }

        ArenaConfig config = ArenaConfig.defaults().withDataDir(data.toString()).withModels(ArenaConfig.scriptedModels("http://127.0.0.1:1/v1"));
        try (ArenaService restarted = ArenaService.open(config)) {
            notes.addAll(restarted.startupNotes());
            List<String> lines = new ArrayList<>();
            try (Stream<Path> files = Files.list(data.resolve("logs"))) {
                for (Path f : files.sorted().toList()) {
                    lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
                }
            }
            Map<String, Integer> seen = new HashMap<>();
            for (String line : lines) {
                JsonNode row = JSON.readTree(line); // a torn or garbled line fails here
                String type = row.get("type").asText();
                JsonNode state = row.has("state") ? row.get("state") : row.get("states").get(0);
                seen.merge(type + " " + lastPrompt(state), 1, Integer::sum);
            }
            for (String[] event : acked) {
                int expected = event[0].equals("battle") ? 2 : 1; // a battle turn is two chat events
                String key = (event[0].equals("battle") ? "chat" : event[0]) + " " + event[1];
                assertThat(seen.getOrDefault(key, 0)).as("acknowledged " + event[0] + " for '" + event[1] + "'").isEqualTo(expected);
            }
            List<String> stored = restarted.store().all().stream().map(EventStore.Event::payload).toList();
            assertThat(stored).as("the database holds exactly the log's lines").containsExactlyInAnyOrderElementsOf(lines);
            System.out.printf("kill -9 test: %d rounds, %d acknowledged events, %d log lines, %d in the database; notes: %s%n",
                    ROUNDS, acked.size(), lines.size(), stored.size(), notes);
        }
    }

    private static String lastPrompt(JsonNode state) {
        JsonNode messages = state.get("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).get(0).asText().equals(ConversationTemplate.CHATCORPUS.userRole())) {
                return messages.get(i).get(1).asText();
            }
        }
        return "";
    }

    /** One user: chats, upvotes every other answer, a battle with a vote every fourth turn; records each success. */
    private Void drive(int port, String who, AtomicBoolean stop) {
        ArenaClient user = new ArenaClient(port);
        try {
            user.consent();
            for (int i = 0; !stop.get(); i++) {
                if (i % 4 == 3) {
                    String prompt = who + " battle " + i;
                    user.post("/api/battle/new", ArenaClient.obj().put("anony", true));
                    if (done(user.post("/api/battle/send", ArenaClient.obj().put("prompt", prompt)))) {
                        acked.add(new String[] {"battle", prompt});
                        if (user.post("/api/battle/vote", ArenaClient.obj().put("type", "leftvote")).statusCode() == 200) {
                            acked.add(new String[] {"leftvote", prompt});
                        }
                    }
                    continue;
                }
                if (i % 8 == 0) {
                    user.post("/api/chat/new", ArenaClient.obj());
                }
                String prompt = who + " chat " + i;
                if (done(user.post("/api/chat", ArenaClient.obj().put("model", "vicuna-13b").put("prompt", prompt)))) {
                    acked.add(new String[] {"chat", prompt});
                    if (i % 2 == 0 && user.post("/api/chat/vote", ArenaClient.obj().put("type", "upvote")).statusCode() == 200) {
                        acked.add(new String[] {"upvote", prompt});
                    }
                }
            }
        } catch (IOException e) {
            // the Arena was killed under this user's feet: what was acknowledged before is what counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static boolean done(HttpResponse<String> r) {
        return r.statusCode() == 200 && r.body().contains("\"done\":true");
    }

    /** Starts the Arena in a child JVM with the test classpath; adds its NOTE lines and, last, its port to {@code notes}. */
    private Process startArena(List<String> notes) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath, ArenaProcess.class.getName(), data.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> early = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            early.add(line);
            if (line.startsWith("NOTE ")) {
                notes.add(line.substring(5));
            } else if (line.startsWith("ARENA_PORT ")) {
                notes.add(line.substring(11));
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the process was killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new IllegalStateException("the Arena process ended before serving: " + String.join("\n", early));
    }
}
