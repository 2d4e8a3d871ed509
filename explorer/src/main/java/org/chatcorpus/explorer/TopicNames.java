package org.chatcorpus.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A label per topic id for the topic facet: the first keywords of each cluster, from the
 * {@code report.json} the report writes beside {@code topics.parquet}, so the facet reads
 * "3 python, code, function" instead of a bare "3".
 */
public final class TopicNames {
    private static final int KEYWORDS = 4;

    private TopicNames() {
    }

    /** The labels from REPORT_DIR/report.json beside the given topics.parquet; empty when there is none. */
    public static Map<String, String> beside(Path topicsParquet) throws IOException {
        if (topicsParquet == null) {
            return Map.of();
        }
        Path report = topicsParquet.toAbsolutePath().resolveSibling("report.json");
        if (!Files.isRegularFile(report)) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode t : new ObjectMapper().readTree(report.toFile()).path("topics")) {
            List<String> words = new ArrayList<>();
            for (JsonNode k : t.path("keywords")) {
                if (words.size() < KEYWORDS) {
                    words.add(k.asText());
                }
            }
            String summary = t.path("summary").asText("");
            out.put(t.path("id").asText(), summary.isBlank() ? String.join(", ", words) : summary);
        }
        return out;
    }
}
