package org.chatcorpus.core.io.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.chatcorpus.core.io.ConversationReader;
import org.chatcorpus.core.io.DamagedInputException;
import org.chatcorpus.core.io.InputStreams;
import org.chatcorpus.core.io.LineReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.text.Utf16;

/**
 * FastChat web-server logs ({@code YYYY-MM-DD-conv.json}: one JSON event per line), cleaned as
 * FastChat's clean_chat_data.py does for one action type (default "chat"):
 * <ul>
 *   <li>chat/upvote/downvote take {@code state} and {@code model}; leftvote/rightvote take
 *       {@code states[0]} / {@code states[1]} and their {@code model_name};</li>
 *   <li>a missing state or conv_id counts as invalid_conv_id; a non-string model, a state with no
 *       message at {@code offset}, or a non-string message text counts as invalid;</li>
 *   <li>messages from {@code offset}, roles alternating user / assistant (to_openai_format);</li>
 *   <li>conversations whose text contains the network-error notice are dropped and counted;</li>
 *   <li>model names are renamed as the release commit did ({@link ModelRenames#release2023}), {@code turn = len(conversation) // 2},
 *       {@code user_id = md5(ip)} in hex, {@code tstamp} kept;</li>
 *   <li>events are sorted by time and the LAST state of each conv_id wins, across all files.</li>
 * </ul>
 * Language is left empty: the curate pipeline's language stage sets it. Lines that are not JSON
 * or not UTF-8, and invalid events, are quarantined with file, line and reason.
 */
public final class FastChatLogReader implements ConversationReader {
    static final String NETWORK_ERROR = "network error due to high traffic. please regenerate or refresh this page.";

    private final String actionType;

    /** The seed's counters, named as clean_chat_data.py prints them, plus lines we could not parse. */
    public record CleanReport(long raw, long chats, long dedup, long invalidConvId, long invalid, long networkError, long malformed) {
    }

    public record Result(List<Conversation> conversations, CleanReport report) {
    }

    public FastChatLogReader() {
        this("chat");
    }

    public FastChatLogReader(String actionType) {
        if (!Set.of("chat", "upvote", "downvote", "leftvote", "rightvote").contains(actionType)) {
            throw new IllegalArgumentException("action type must be chat, upvote, downvote, leftvote or rightvote");
        }
        this.actionType = actionType;
    }

    @Override
    public String format() {
        return "fastchat-log";
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        return looksLikeLog(head);
    }

    /** Whether a file's first record is a FastChat log event: a {@code type} and the state or model(s) it was about. */
    public static boolean looksLikeLog(byte[] head) {
        Set<String> keys = FirstRecordKeys.of(head);
        return keys.contains("type") && (keys.contains("state") || keys.contains("states") || keys.contains("models")
                || keys.contains("model"));
    }

    @Override
    public void read(Path file, Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        readAll(List.of(file), sink, quarantine);
    }

    @Override
    public void readAll(List<Path> files, Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        clean(files, quarantine).conversations().forEach(sink);
    }

    private record Chat(Conversation conversation, double tstamp, long order) {
    }

    public Result clean(List<Path> files, Quarantine quarantine) throws IOException {
        List<Chat> chats = new ArrayList<>();
        long raw = 0;
        long invalidConvId = 0;
        long invalid = 0;
        long network = 0;
        long malformed = 0;
        long order = 0;
        for (Path file : files) {
            long lastLine = 0;
            try (LineReader lines = new LineReader(InputStreams.open(file))) {
                LineReader.Line line;
                while ((line = lines.next()) != null) {
                    lastLine = line.number();
                    String where = "line " + line.number();
                    if (line.text() == null) {
                        malformed++;
                        quarantine.reject(new QuarantinedRecord(file.toString(), where, line.problem(),
                                new String(line.raw(), StandardCharsets.UTF_8)));
                        continue;
                    }
                    if (line.text().isBlank()) {
                        continue;
                    }
                    JsonNode row;
                    try {
                        row = JsonRecordReader.JSON.readTree(line.text());
                    } catch (IOException e) {
                        malformed++;
                        quarantine.reject(new QuarantinedRecord(file.toString(), where, RecordJson.whyUnreadable(e), line.text()));
                        continue;
                    }
                    if (!row.isObject() || !actionType.equals(row.path("type").asText(null))) {
                        continue;
                    }
                    raw++;
                    JsonNode state;
                    JsonNode model;
                    switch (actionType) {
                        case "leftvote", "rightvote" -> {
                            state = row.path("states").path(actionType.equals("leftvote") ? 0 : 1);
                            model = state.get("model_name");
                        }
                        default -> {
                            state = row.get("state");
                            model = row.get("model");
                        }
                    }
                    if (state == null || !state.isObject() || model == null || !state.has("conv_id")) {
                        invalidConvId++;
                        quarantine.reject(new QuarantinedRecord(file.toString(), where,
                                "field `" + (state == null || !state.isObject() ? "state" : model == null ? "model" : "state.conv_id")
                                        + "` is missing (invalid_conv_id)", line.text()));
                        continue;
                    }
                    JsonNode convId = state.get("conv_id");
                    if (convId.isNull()) {
                        invalidConvId++;
                        quarantine.reject(new QuarantinedRecord(file.toString(), where, "field `state.conv_id` is null (invalid_conv_id)", line.text()));
                        continue;
                    }
                    String problem = null;
                    JsonNode msgs = state.path("messages");
                    int offset = state.path("offset").asInt(0);
                    if (!model.isTextual()) {
                        problem = "field `model` is " + org.chatcorpus.core.io.RecordException.describe(model) + ", expected a string";
                    } else if (!msgs.isArray() || offset < 0 || offset >= msgs.size()) {
                        problem = "field `state.messages` has no message at offset " + offset;
                    }
                    List<Message> conversation = new ArrayList<>();
                    if (problem == null) {
                        for (int i = offset; i < msgs.size(); i++) {
                            JsonNode text = msgs.get(i).path(1);
                            if (!text.isTextual()) {
                                problem = "field `state.messages[" + i + "][1]` is "
                                        + org.chatcorpus.core.io.RecordException.describe(text) + ", expected a string";
                                break;
                            }
                            conversation.add(new Message((i - offset) % 2 == 0 ? Message.USER : Message.ASSISTANT, Utf16.scrub(text.asText())));
                        }
                    }
                    if (problem != null) {
                        invalid++;
                        quarantine.reject(new QuarantinedRecord(file.toString(), where, problem + " (invalid)", line.text()));
                        continue;
                    }
                    StringBuilder all = new StringBuilder();
                    for (Message m : conversation) {
                        all.append(m.content());
                    }
                    if (all.toString().toLowerCase(Locale.ROOT).contains(NETWORK_ERROR)) {
                        network++;
                        continue;
                    }
                    double tstamp = row.path("tstamp").asDouble(0);
                    String name = ModelRenames.release2023(Utf16.scrub(model.asText()));
                    Conversation c = new Conversation(Utf16.scrub(convId.asText()), name, conversation, Conversation.turnsOf(conversation),
                            "", List.of(), false, md5(row.path("ip").asText("")), tstamp);
                    chats.add(new Chat(c, tstamp, order++));
                }
            } catch (DamagedInputException e) {
                malformed++;
                quarantine.reject(JsonRecordReader.damagedAfter(file, lastLine, e));
            }
        }
        // Sort by time (stable), then keep the last event of each conv_id, as the seed does.
        chats.sort(Comparator.comparingDouble(Chat::tstamp).thenComparingLong(Chat::order));
        Set<String> seen = new HashSet<>();
        List<Conversation> dedup = new ArrayList<>();
        for (int i = chats.size() - 1; i >= 0; i--) {
            Conversation c = chats.get(i).conversation();
            if (seen.add(c.conversationId())) {
                dedup.add(c);
            }
        }
        java.util.Collections.reverse(dedup);
        return new Result(dedup, new CleanReport(raw, chats.size(), dedup.size(), invalidConvId, invalid, network, malformed));
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
