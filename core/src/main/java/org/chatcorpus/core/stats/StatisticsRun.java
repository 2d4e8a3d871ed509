package org.chatcorpus.core.stats;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.nio.file.Path;
import org.chatcorpus.core.io.Readers;
import org.chatcorpus.core.io.parquet.ParquetColumnCounts;
import org.chatcorpus.core.io.parquet.ParquetConversationReader;
import org.chatcorpus.core.io.BatchWorkers;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.io.parquet.ReleaseSchema;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.tokenize.TokenCounter;

/**
 * Computes the Basic Statistics over a dataset on all cores, streaming. Without a tokenizer only
 * the model, language, turn and user_id columns are read (a projected Parquet read); with one,
 * readers feed batches through a bounded queue to one tokenizing worker per core ({@link BatchWorkers}), so a single
 * large file is still counted in parallel and memory stays bounded.
 *
 * <p>A source without a language column (FastChat's raw logs) gets its language the way
 * clean_chat_data.py gave it one, from the first user message, through the {@code languageOf}
 * the caller passes (the pipeline's detector; core does not know it). Conversations that carry a
 * language, or whose text was not read, are counted as they are.
 */
public final class StatisticsRun {
    private static final Set<String> ROW_COLUMNS = Set.of(ReleaseSchema.MODEL, ReleaseSchema.LANGUAGE, ReleaseSchema.TURN,
            ReleaseSchema.USER_ID, ReleaseSchema.CONVERSATION);
    /** With tokens: the same, and conversation_id, which names a quarantined empty conversation. */
    private static final Set<String> TOKEN_COLUMNS = Set.of(ReleaseSchema.CONVERSATION_ID, ReleaseSchema.MODEL, ReleaseSchema.LANGUAGE,
            ReleaseSchema.TURN, ReleaseSchema.USER_ID, ReleaseSchema.CONVERSATION);

    /**
     * Why a record with an empty {@code conversation} is not counted. The paper's compute_stats.py
     * ran on the output of clean_chat_data.py, which drops a state with no message at its offset as
     * invalid; so the paper's averages never include a 0-turn "conversation", and counting one
     * here would lower avg turns below the paper's definition. It is quarantined (and counted as
     * such), as every other record we cannot use.
     */
    static final String EMPTY = "empty `conversation` (no message): not a conversation, left out of the statistics as "
            + "clean_chat_data.py drops it before compute_stats.py";

    /** True when the conversation counts; an empty one is quarantined instead. */
    private static boolean counted(org.chatcorpus.core.model.Conversation c, Quarantine quarantine) {
        if (!c.conversation().isEmpty()) {
            return true;
        }
        quarantine.reject(new QuarantinedRecord("statistics", "conversation_id " + c.conversationId(), EMPTY, ""));
        return false;
    }

    private StatisticsRun() {
    }

    /**
     * Counts one conversation into {@code acc} as every path of this class does (an empty one is
     * quarantined; a missing language is named by {@code languageOf} when given): for engines that
     * read the data themselves, such as the Spark runner.
     */
    public static void count(StatsAccumulator acc, Conversation c, TokenCounter tokens, Quarantine quarantine,
            UnaryOperator<String> languageOf) {
        if (counted(c, quarantine)) {
            acc.add(languageOf != null && c.language().isEmpty() ? c.withLanguage(languageOf.apply(c.firstPrompt())) : c, tokens);
        }
    }

    public static BasicStatistics compute(DatasetReader input, TokenCounter tokens, Quarantine quarantine, Progress progress)
            throws IOException {
        return compute(input, tokens, quarantine, progress, null);
    }

    /** As above; {@code languageOf} (text → language name), when not null, names the language of conversations that have none. */
    public static BasicStatistics compute(DatasetReader input, TokenCounter tokens, Quarantine quarantine, Progress progress,
            UnaryOperator<String> languageOf) throws IOException {
        UnaryOperator<Conversation> fill = languageOf == null ? c -> c
                : c -> c.language().isEmpty() && !c.conversation().isEmpty() ? c.withLanguage(languageOf.apply(c.firstPrompt())) : c;
        return tokens == null ? countOnly(input, quarantine, progress, fill) : withTokens(input, tokens, quarantine, progress, fill);
    }

    private static BasicStatistics countOnly(DatasetReader input, Quarantine quarantine, Progress progress, UnaryOperator<Conversation> fill)
            throws IOException {
        ConcurrentLinkedQueue<StatsAccumulator> all = new ConcurrentLinkedQueue<>();
        ThreadLocal<StatsAccumulator> local = ThreadLocal.withInitial(() -> {
            StatsAccumulator a = new StatsAccumulator();
            all.add(a);
            return a;
        });
        List<Path> rowPath = new ArrayList<>();
        List<Path> columnPath = new ArrayList<>();
        for (Readers.Group g : Readers.group(input.files(), input.forcedFormat(), quarantine)) {
            for (Path f : g.files()) {
                boolean columnar = g.reader() instanceof ParquetConversationReader && ParquetColumnCounts.supports(f);
                (columnar ? columnPath : rowPath).add(f);
            }
        }
        countColumns(columnPath, all, quarantine, progress);
        if (!rowPath.isEmpty()) {
            // The conversation column is read too, to leave out empty conversations (see EMPTY).
            new DatasetReader(rowPath.stream().map(Path::toString).toList(), input.forcedFormat()).withColumns(ROW_COLUMNS).read(c -> {
                if (counted(c, quarantine)) {
                    local.get().add(fill.apply(c), null);
                }
                progress.advance(1);
            }, quarantine, true);
        }
        StatsAccumulator total = new StatsAccumulator();
        all.forEach(total::merge);
        return BasicStatistics.of(total, null, quarantine.count());
    }

    /** Row groups of well-formed Parquet files counted column by column, one row group per task, on all cores. */
    private static void countColumns(List<Path> files, ConcurrentLinkedQueue<StatsAccumulator> all, Quarantine quarantine,
            Progress progress) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        List<Callable<StatsAccumulator>> tasks = new ArrayList<>();
        for (Path f : files) {
            int groups = ParquetColumnCounts.rowGroups(f);
            for (int g = 0; g < groups; g++) {
                int rowGroup = g;
                tasks.add(() -> {
                    StatsAccumulator a = new StatsAccumulator();
                    ParquetColumnCounts counts;
                    try {
                        counts = ParquetColumnCounts.count(f, rowGroup);
                    } catch (IOException | RuntimeException e) {
                        // a damaged page or a checksum mismatch: this row group is lost to the count, not the run
                        quarantine.reject(new QuarantinedRecord(f.toString(), "row group " + rowGroup,
                                "not readable as Parquet: " + ParquetConversationReader.rootMessage(e) + "; not counted", ""));
                        return a;
                    }
                    counts.emptyRows.stream().forEach(row -> quarantine.reject(new QuarantinedRecord(f.toString(),
                            "row " + (row + 1) + " of row group " + rowGroup, EMPTY, "")));
                    a.add(counts);
                    progress.advance(counts.rows);
                    return a;
                });
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(tasks.size(), Runtime.getRuntime().availableProcessors()));
        try {
            for (Future<StatsAccumulator> f : pool.invokeAll(tasks)) {
                all.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static BasicStatistics withTokens(DatasetReader input, TokenCounter tokens, Quarantine quarantine, Progress progress,
            UnaryOperator<Conversation> fill) throws IOException {
        StatsAccumulator total = new StatsAccumulator();
        // Parquet skips the moderation and redaction columns, which the statistics never look at: a
        // fifth of a release's bytes, and a dozen values per message to decode.
        DatasetReader projected = input.withColumns(TOKEN_COLUMNS);
        for (StatsAccumulator a : BatchWorkers.run(projected, quarantine, progress, "stats", StatsAccumulator::new, (acc, c) -> {
            if (counted(c, quarantine)) {
                acc.add(fill.apply(c), tokens);
            }
        })) {
            total.merge(a);
        }
        return BasicStatistics.of(total, tokens.name(), quarantine.count());
    }
}
