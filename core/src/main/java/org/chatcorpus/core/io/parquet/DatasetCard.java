package org.chatcorpus.core.io.parquet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * The dataset card, {@code DIR/README.md}: YAML front matter in the Hugging Face format
 * ({@code dataset_info} with the features of the LMSYS-Chat-1M schema and the train split's size,
 * and {@code configs} pointing at {@code data/train-*}), then a Markdown description with the
 * schema and a statistics section supplied by the caller (the "Basic Statistics" table).
 */
public final class DatasetCard {
    private DatasetCard() {
    }

    /** The YAML front matter, as `datasets` writes it for this schema. */
    public static String frontMatter(ParquetShardWriter.Summary s) {
        StringBuilder y = new StringBuilder("---\n");
        y.append("dataset_info:\n  features:\n");
        y.append("  - name: conversation_id\n    dtype: string\n");
        y.append("  - name: model\n    dtype: string\n");
        y.append("  - name: conversation\n    list:\n");
        y.append("    - name: content\n      dtype: string\n");
        y.append("    - name: role\n      dtype: string\n");
        y.append("  - name: turn\n    dtype: int64\n");
        y.append("  - name: language\n    dtype: string\n");
        y.append("  - name: openai_moderation\n    list:\n");
        y.append("    - name: categories\n      struct:\n");
        for (ModerationCategory c : ModerationCategory.all()) {
            y.append("      - name: ").append(c.label()).append("\n        dtype: bool\n");
        }
        y.append("    - name: category_scores\n      struct:\n");
        for (ModerationCategory c : ModerationCategory.all()) {
            y.append("      - name: ").append(c.label()).append("\n        dtype: float64\n");
        }
        y.append("    - name: flagged\n      dtype: bool\n");
        y.append("  - name: redacted\n    dtype: bool\n");
        y.append("  splits:\n  - name: train\n    num_bytes: ").append(s.numBytes())
                .append("\n    num_examples: ").append(s.numExamples()).append('\n');
        y.append("  download_size: ").append(s.downloadSize()).append('\n');
        y.append("  dataset_size: ").append(s.numBytes()).append('\n');
        y.append("configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*\n");
        y.append("---\n");
        return y.toString();
    }

    /**
     * Writes the card atomically (temporary file, then rename).
     *
     * @param statisticsMarkdown the "Basic Statistics" section, already rendered (may be empty)
     */
    public static void write(Path datasetDir, String title, String description, ParquetShardWriter.Summary s,
            String statisticsMarkdown) throws IOException {
        StringBuilder md = new StringBuilder(frontMatter(s));
        md.append("\n# ").append(title).append("\n\n").append(description).append("\n\n");
        md.append("## Dataset structure\n\n");
        md.append("One split, `train`, of ").append(s.numExamples()).append(" conversations in ")
                .append(s.shards().size()).append(" Parquet shard(s) under `data/`. Each record has:\n\n");
        md.append("| column | type | meaning |\n|---|---|---|\n");
        md.append("| `conversation_id` | string | unique id of the conversation |\n");
        md.append("| `model` | string | the model that answered |\n");
        md.append("| `conversation` | list of {`content`, `role`} | the messages, roles `user` / `assistant` |\n");
        md.append("| `turn` | int64 | number of turns (`len(conversation) // 2`) |\n");
        md.append("| `language` | string | language of the first user message |\n");
        md.append("| `openai_moderation` | list of {`categories`, `category_scores`, `flagged`} | moderation of each message |\n");
        md.append("| `redacted` | bool | whether person names were replaced by NAME_1, NAME_2, … |\n\n");
        if (statisticsMarkdown != null && !statisticsMarkdown.isBlank()) {
            md.append("## Basic Statistics\n\n").append(statisticsMarkdown.strip()).append("\n\n");
        }
        md.append("_Written by chatcorpus; see `provenance.json` (when present) for how it was made._\n");
        Path tmp = datasetDir.resolve(".README.md.inprogress");
        Files.writeString(tmp, org.chatcorpus.core.text.Utf16.scrub(md.toString()), StandardCharsets.UTF_8); // a strict encoder: scrub first
        Files.move(tmp, datasetDir.resolve("README.md"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
