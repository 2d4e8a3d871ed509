package org.chatcorpus.core.generate;

import java.io.IOException;
import java.nio.file.Path;
import org.chatcorpus.core.io.ConversationWriter;
import org.chatcorpus.core.io.parquet.DatasetCard;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatsAccumulator;

/**
 * Writes a release directory in one pass: HF Parquet shards, and on close the dataset card with
 * the Basic Statistics (without token averages, which need a second, tokenizing pass) of exactly
 * what was written.
 */
public final class ReleaseWriter implements ConversationWriter {
    private final Path dir;
    private final String title;
    private final String description;
    private final ParquetShardWriter shards;
    private final StatsAccumulator stats = new StatsAccumulator();
    private BasicStatistics finalStats;

    public ReleaseWriter(Path dir, String title, String description, long shardBytes) throws IOException {
        this.dir = dir;
        this.title = title;
        this.description = description;
        this.shards = new ParquetShardWriter(dir, shardBytes, false);
    }

    @Override
    public void write(Conversation c) throws IOException {
        shards.write(c);
        stats.add(c, null);
    }

    @Override
    public void close() throws IOException {
        shards.close();
        finalStats = BasicStatistics.of(stats, null, 0);
        DatasetCard.write(dir, title, description, shards.summary(), finalStats.markdownTable(title));
    }

    public ParquetShardWriter.Summary summary() {
        return shards.summary();
    }

    public BasicStatistics statistics() {
        return finalStats;
    }
}
