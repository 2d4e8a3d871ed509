package org.chatcorpus.usecases.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.InputStreams;
import org.chatcorpus.core.io.LineReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * Reads labeled messages for the moderation benchmark, detecting the kind per file:
 * <ul>
 *   <li>OpenAI's moderation samples (JSON lines: {@code prompt} + 0/1 labels S, H, V, HR, SH, S3,
 *       H2, V2; absent = unknown); a {@code toxicity} 0/1 field, as our challenge sets write, gives
 *       the flagged label where no category says it;</li>
 *   <li>ToxicChat's CSV ({@code user_input}, {@code toxicity}, {@code jailbreaking}): flagged only,
 *       no categories;</li>
 *   <li>a release with {@code openai_moderation} tags: every message with its 11 categories and flagged.</li>
 * </ul>
 * Unreadable records are quarantined with a reason and skipped.
 */
public final class LabeledMessages {
    static final Map<String, ModerationCategory> SAMPLE_LABELS = Map.of(
            "S", ModerationCategory.SEXUAL, "H", ModerationCategory.HATE, "V", ModerationCategory.VIOLENCE,
            "HR", ModerationCategory.HARASSMENT, "SH", ModerationCategory.SELF_HARM, "S3", ModerationCategory.SEXUAL_MINORS,
            "H2", ModerationCategory.HATE_THREATENING, "V2", ModerationCategory.VIOLENCE_GRAPHIC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabeledMessages() {
    }

    public static List<LabeledMessage> read(Path file, Quarantine quarantine) throws IOException {
        String head = new String(InputStreams.head(file, 4096), StandardCharsets.UTF_8);
        String firstLine = head.lines().findFirst().orElse("");
        if (firstLine.contains("user_input") && firstLine.contains("toxicity")) {
            return toxicChat(file, quarantine);
        }
        if (head.stripLeading().startsWith("{") && head.contains("\"prompt\"")) {
            return openAiSamples(file, quarantine);
        }
        return release(file, quarantine);
    }

    static List<LabeledMessage> openAiSamples(Path file, Quarantine quarantine) throws IOException {
        List<LabeledMessage> out = new ArrayList<>();
        try (LineReader lines = new LineReader(InputStreams.open(file))) {
            LineReader.Line line;
            while ((line = lines.next()) != null) {
                if (line.text() == null || line.text().isBlank()) {
                    continue;
                }
                String where = file.getFileName() + ":" + line.number();
                JsonNode n;
                try {
                    n = JSON.readTree(line.text());
                } catch (IOException e) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), "line " + line.number(), "not valid JSON", line.text()));
                    continue;
                }
                if (!n.path("prompt").isTextual()) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), "line " + line.number(),
                            "field `prompt` is missing or not a string", line.text()));
                    continue;
                }
                byte[] cats = unknown();
                SAMPLE_LABELS.forEach((key, cat) -> {
                    JsonNode v = n.get(key);
                    if (v != null && v.isNumber()) {
                        cats[cat.ordinal()] = (byte) (v.asInt() != 0 ? 1 : 0);
                    }
                });
                byte flagged = flaggedOf(cats);
                if (n.path("toxicity").isNumber()) {
                    flagged = (byte) Math.max(flagged, n.get("toxicity").asInt() != 0 ? 1 : 0);
                }
                out.add(new LabeledMessage(where, n.get("prompt").asText(), cats, flagged));
            }
        }
        return out;
    }

    static List<LabeledMessage> toxicChat(Path file, Quarantine quarantine) throws IOException {
        List<LabeledMessage> out = new ArrayList<>();
        CsvMapper csv = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (InputStream in = InputStreams.open(file);
             MappingIterator<Map<String, String>> rows = csv.readerFor(Map.class).with(schema).readValues(in)) {
            int row = 0;
            while (rows.hasNextValue()) {
                row++;
                Map<String, String> r;
                try {
                    r = rows.nextValue();
                } catch (RuntimeException e) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), "row " + row, "unreadable CSV row: " + e.getMessage(), ""));
                    continue;
                }
                String text = r.get("user_input");
                String tox = r.get("toxicity");
                if (text == null || tox == null || !(tox.strip().equals("0") || tox.strip().equals("1"))) {
                    quarantine.reject(new QuarantinedRecord(file.toString(), "row " + row,
                            "needs `user_input` and `toxicity` 0 or 1, got toxicity " + tox, String.valueOf(text)));
                    continue;
                }
                out.add(new LabeledMessage(file.getFileName() + ":row " + row, text, unknown(), (byte) (tox.strip().equals("1") ? 1 : 0)));
            }
        }
        return out;
    }

    static List<LabeledMessage> release(Path file, Quarantine quarantine) throws IOException {
        List<LabeledMessage> out = new ArrayList<>();
        for (Conversation c : new DatasetReader(List.of(file.toString()), null).readAll(quarantine)) {
            for (int i = 0; i < c.openaiModeration().size() && i < c.conversation().size(); i++) {
                Moderation m = c.openaiModeration().get(i);
                boolean[] cats = m.categories();
                byte[] labels = new byte[ModerationCategory.COUNT];
                for (int k = 0; k < labels.length; k++) {
                    labels[k] = (byte) (cats[k] ? 1 : 0);
                }
                out.add(new LabeledMessage(file.getFileName() + "#" + c.conversationId() + "/" + i, c.conversation().get(i).content(),
                        labels, (byte) (m.flagged() ? 1 : 0)));
            }
        }
        return out;
    }

    private static byte[] unknown() {
        byte[] b = new byte[ModerationCategory.COUNT];
        Arrays.fill(b, (byte) -1);
        return b;
    }

    /** 1 when any labeled category is 1, 0 when some are labeled and none is, -1 when none is labeled. */
    static byte flaggedOf(byte[] cats) {
        byte out = -1;
        for (byte b : cats) {
            if (b == 1) {
                return 1;
            }
            if (b == 0) {
                out = 0;
            }
        }
        return out;
    }
}
