package org.chatcorpus.pipeline.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.InputStreams;
import org.chatcorpus.core.io.LineReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * Labeled texts for training the offline moderation model, from two kinds of input:
 * <ul>
 *   <li>OpenAI's moderation samples (JSON lines: {@code prompt} + 0/1 labels S→sexual, H→hate,
 *       V→violence, HR→harassment, SH→self-harm, S3→sexual/minors, H2→hate/threatening,
 *       V2→violence/graphic; a missing label is unknown, never negative);</li>
 *   <li>any release chatcorpus reads that carries {@code openai_moderation} tags: every message
 *       with its 11 categories.</li>
 * </ul>
 */
public final class TrainingData {
    static final Map<String, ModerationCategory> OPENAI_SAMPLE_LABELS = Map.of(
            "S", ModerationCategory.SEXUAL, "H", ModerationCategory.HATE, "V", ModerationCategory.VIOLENCE,
            "HR", ModerationCategory.HARASSMENT, "SH", ModerationCategory.SELF_HARM, "S3", ModerationCategory.SEXUAL_MINORS,
            "H2", ModerationCategory.HATE_THREATENING, "V2", ModerationCategory.VIOLENCE_GRAPHIC);
    private static final ObjectMapper JSON = org.chatcorpus.core.io.json.RecordJson.mapper(); // no 20M-character string limit

    private TrainingData() {
    }

    public static List<LabeledText> read(Path file, Quarantine quarantine) throws IOException {
        byte[] head = InputStreams.head(file, 4096);
        String start = new String(head, java.nio.charset.StandardCharsets.UTF_8);
        if (start.contains("\"prompt\"")) {
            return openAiSamples(file, quarantine);
        }
        List<LabeledText> out = new ArrayList<>();
        for (Conversation c : new DatasetReader(List.of(file.toString()), null).readAll(quarantine)) {
            for (int i = 0; i < c.openaiModeration().size(); i++) {
                boolean[] cats = c.openaiModeration().get(i).categories();
                byte[] labels = new byte[ModerationCategory.COUNT];
                for (int k = 0; k < labels.length; k++) {
                    labels[k] = (byte) (cats[k] ? 1 : 0);
                }
                out.add(new LabeledText(c.conversation().get(i).content(), labels));
            }
        }
        return out;
    }

    static List<LabeledText> openAiSamples(Path file, Quarantine quarantine) throws IOException {
        List<LabeledText> out = new ArrayList<>();
        try (LineReader lines = new LineReader(InputStreams.open(file))) {
            LineReader.Line line;
            while ((line = lines.next()) != null) {
                if (line.text() == null || line.text().isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(line.text());
                } catch (IOException e) {
                    quarantine.reject(new org.chatcorpus.core.io.QuarantinedRecord(file.toString(), "line " + line.number(),
                            "not valid JSON", line.text()));
                    continue;
                }
                if (!n.path("prompt").isTextual()) {
                    quarantine.reject(new org.chatcorpus.core.io.QuarantinedRecord(file.toString(), "line " + line.number(),
                            "field `prompt` is missing or not a string", line.text()));
                    continue;
                }
                byte[] labels = new byte[ModerationCategory.COUNT];
                Arrays.fill(labels, (byte) -1);
                OPENAI_SAMPLE_LABELS.forEach((key, cat) -> {
                    JsonNode v = n.get(key);
                    if (v != null && v.isNumber()) {
                        labels[cat.ordinal()] = (byte) (v.asInt() != 0 ? 1 : 0);
                    }
                });
                out.add(new LabeledText(n.get("prompt").asText(), labels));
            }
        }
        return out;
    }
}
