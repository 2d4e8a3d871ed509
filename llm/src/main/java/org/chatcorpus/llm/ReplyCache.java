package org.chatcorpus.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.chatcorpus.core.text.Utf16;

/**
 * Model replies kept on disk, so a rerun or a resumed run of a judge or benchmark costs nothing for
 * what it already asked. One JSON line per reply, keyed by the SHA-256 of the model id, the API
 * base and the exact request body: a change of prompt, temperature or length cap is a new call.
 *
 * <p>The file is only ever appended to. A line torn by a kill (the last one, without its newline)
 * is skipped and counted when the cache opens, and the next append starts on a fresh line, so one
 * interrupted run never breaks the next.
 */
public final class ReplyCache implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, ChatReply> replies = new ConcurrentHashMap<>();
    private final OutputStream out;
    private final int unreadableLines;

    private ReplyCache(Path file) throws IOException {
        this.file = file;
        int unreadable = 0;
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(line);
                    replies.put(n.path("key").asText(), new ChatReply(n.path("text").asText(),
                            n.path("prompt_tokens").asLong(), n.path("completion_tokens").asLong(), true));
                } catch (IOException e) {
                    unreadable++;
                }
            }
            endWithNewline(file);
        } else if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        this.unreadableLines = unreadable;
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Opens (or creates) the cache file. */
    public static ReplyCache open(Path file) throws IOException {
        return new ReplyCache(file);
    }

    /** The key of a call: model id, API base and request body. */
    public static String key(ModelEndpoint endpoint, ChatRequest request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(endpoint.model().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(endpoint.baseUrl().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(ChatClient.requestBody(endpoint, request, false));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    public ChatReply get(String key) {
        return replies.get(key);
    }

    /** Records a reply; it is on disk (flushed to the OS) when this returns. */
    public void put(String key, ModelEndpoint endpoint, ChatReply reply) {
        ObjectNode n = JSON.createObjectNode();
        n.put("key", key);
        n.put("model", endpoint.name());
        n.put("text", Utf16.scrub(reply.text()));
        n.put("prompt_tokens", reply.promptTokens());
        n.put("completion_tokens", reply.completionTokens());
        try {
            byte[] line = (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (out) {
                out.write(line);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the reply cache " + file + ": " + e.getMessage(), e);
        }
        replies.put(key, reply.asCached());
    }

    public int size() {
        return replies.size();
    }

    /** Lines that could not be read when the cache opened (a torn last line after a kill). */
    public int unreadableLines() {
        return unreadableLines;
    }

    public Path file() {
        return file;
    }

    private static void endWithNewline(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long len = raf.length();
            if (len > 0) {
                raf.seek(len - 1);
                if (raf.read() != '\n') {
                    raf.seek(len);
                    raf.write('\n');
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (out) {
            out.close();
        }
    }
}
