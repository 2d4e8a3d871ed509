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
    private static final Set<String> COUNT_COLUMNS = Set.of(ReleaseSchema.MODEL, ReleaseSchema.LANGUAGE, ReleaseSchema.TURN,
            ReleaseSchema.USER_ID);

    private StatisticsRun() {
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
        for (Readers.Group g : Readers.group(input.files(), input.forcedFormat())) {
            for (Path f : g.files()) {
                boolean columnar = g.reader() instanceof ParquetConversationReader && ParquetColumnCounts.supports(f);
                (columnar ? columnPath : rowPath).add(f);
            }
        }
        countColumns(columnPath, all, progress);
        if (!rowPath.isEmpty()) {
            new DatasetReader(rowPath.stream().map(Path::toString).toList(), input.forcedFormat()).withColumns(COUNT_COLUMNS).read(c -> {
                local.get().add(fill.apply(c), null);
                progress.advance(1);
            }, quarantine, true);
        }
        StatsAccumulator total = new StatsAccumulator();
        all.forEach(total::merge);
        return BasicStatistics.of(total, null, quarantine.count());
    }

    /** Row groups of well-formed Parquet files counted column by column, one row group per task, on all cores. */
    private static void countColumns(List<Path> files, ConcurrentLinkedQueue<StatsAccumulator> all, Progress progress) throws IOException {
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
                    ParquetColumnCounts counts = ParquetColumnCounts.count(f, rowGroup);
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
        for (StatsAccumulator a : BatchWorkers.run(input, quarantine, progress, "stats", StatsAccumulator::new,
                (acc, c) -> acc.add(fill.apply(c), tokens))) {
            total.merge(a);
        }
        return BasicStatistics.of(total, tokens.name(), quarantine.count());
    }
}
