package org.chatcorpus.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.chatcorpus.core.io.JsonlQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.pipeline.Rejections;
import org.chatcorpus.pipeline.Stage;
import org.chatcorpus.pipeline.StageCounts;
import org.chatcorpus.pipeline.StageOutcome;

/**
 * One task of a phase, run on an executor: reads its source in order, runs every conversation
 * through the phase (a chain of per-conversation stages, or the decisions a whole-dataset stage
 * made on the driver), writes what is kept as Parquet parts and what is dropped to quarantine
 * files, as the local runner's phase does, and reports its counts. Output names are fixed by the
 * task number, so a retried or speculative attempt replaces, never adds.
 */
final class PartTask implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Storage storage;
    private final String phaseDir;
    private final long rowsPerPart;
    private final List<Stage> chain;
    private final String datasetStage;
    private final Fates fates;

    private PartTask(Storage storage, String phaseDir, long rowsPerPart, List<Stage> chain, String datasetStage, Fates fates) {
        this.storage = storage;
        this.phaseDir = phaseDir;
        this.rowsPerPart = rowsPerPart;
        this.chain = chain;
        this.datasetStage = datasetStage;
        this.fates = fates;
    }

    /** A chain of per-conversation stages (possibly empty: reading alone). */
    static PartTask chain(Storage storage, String phaseDir, long rowsPerPart, List<Stage> chain) {
        return new PartTask(storage, phaseDir, rowsPerPart, List.copyOf(chain), null, null);
    }

    /** A whole-dataset stage's decisions, applied conversation by conversation. */
    static PartTask fates(Storage storage, String phaseDir, String stage, Fates fates) {
        return new PartTask(storage, phaseDir, 0, List.of(), stage, fates);
    }

    /** The quarantine part a task writes for a quarantine file name. */
    static String quarantinePart(String phaseDir, String name, int task) {
        return Storage.child(Storage.child(Storage.child(phaseDir, "quarantine"), name), String.format("part-%05d.jsonl", task));
    }

    TaskResult run(int task, Source src) throws IOException {
        Path tmp = Files.createTempDirectory("chatcorpus-spark-");
        try {
            return run(task, src, tmp);
        } finally {
            Storage.deleteLocal(tmp);
        }
    }

    private TaskResult run(int task, Source src, Path tmp) throws IOException {
        boolean reading = src.part() == null;
        List<String> names = datasetStage != null ? List.of(datasetStage) : chain.stream().map(Stage::name).toList();
        List<StageCounts> counts = new ArrayList<>();
        StageCounts read = new StageCounts("read");
        if (reading) {
            counts.add(read);
        }
        List<StageCounts> stageCounts = new ArrayList<>();
        for (String n : names) {
            StageCounts c = new StageCounts(n);
            stageCounts.add(c);
            counts.add(c);
        }
        Map<String, JsonlQuarantine> files = new LinkedHashMap<>();
        Quarantine readQuarantine = new Quarantine() {
            private long n;

            @Override
            public void reject(QuarantinedRecord r) {
                // A remote file is read from a local copy: name the file as the user named it.
                quarantine(files, tmp, "read").reject(new QuarantinedRecord(original(r.source(), src, tmp), r.location(), r.reason(), r.raw()));
                read.record(StageOutcome.drop("unreadable_record"));
                n++;
            }

            @Override
            public long count() {
                return n;
            }
        };
        List<Part> parts = new ArrayList<>();
        List<TaskResult.Side> side = new ArrayList<>();
        Writer out = new Writer(task, tmp, parts);
        long[] index = {src.offset()};
        Consumer<Conversation> sink = c -> {
            long i = index[0] >= 0 ? index[0]++ : -1;
            Conversation kept = datasetStage != null ? applyFate(i, c, stageCounts.get(0), files, tmp, side) : applyChain(c, stageCounts, files, tmp);
            if (kept != null) {
                out.write(kept);
            }
        };
        try {
            storage.read(src, tmp, sink, reading ? readQuarantine : Quarantine.counting());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            out.close();
            for (JsonlQuarantine q : files.values()) {
                q.close();
            }
        }
        Map<String, String> quarantine = new TreeMap<>();
        for (Map.Entry<String, JsonlQuarantine> e : files.entrySet()) {
            String target = quarantinePart(phaseDir, e.getKey(), task);
            storage.put(e.getValue().file(), target);
            quarantine.put(e.getKey(), target);
        }
        ArrayNode c = JSON.createArrayNode();
        counts.forEach(x -> c.add(x.toJson(JSON)));
        return new TaskResult(task, parts, c.toString(), quarantine, side);
    }

    private Conversation applyChain(Conversation c, List<StageCounts> counts, Map<String, JsonlQuarantine> files, Path tmp) {
        Conversation cur = c;
        for (int i = 0; i < chain.size(); i++) {
            Stage s = chain.get(i);
            long t0 = System.nanoTime();
            StageOutcome o = s.process(cur);
            counts.get(i).addNanos(System.nanoTime() - t0);
            counts.get(i).record(o);
            if (o.dropped()) {
                quarantine(files, tmp, s.name()).reject(Rejections.dropped(s.name(), cur, o.dropReason()));
                return null;
            }
            if (o.note() != null) {
                quarantine(files, tmp, Rejections.noteFile(s.name(), o)).reject(Rejections.noted(s.name(), cur, o));
            }
            cur = o.conversation();
        }
        return cur;
    }

    private Conversation applyFate(long i, Conversation c, StageCounts counts, Map<String, JsonlQuarantine> files, Path tmp,
            List<TaskResult.Side> side) {
        String fate = fates.fate(i, c);
        String row = fates.side(i, c);
        if (row != null) {
            side.add(new TaskResult.Side(i, row));
        }
        if (fate == null) {
            counts.record(StageOutcome.keep(c));
            return c;
        }
        if (fate.equals(Fates.CHANGED)) {
            counts.record(StageOutcome.change(c));
            return c;
        }
        counts.record(StageOutcome.drop(fate));
        quarantine(files, tmp, datasetStage).reject(Rejections.dropped(datasetStage, c, fate));
        return null;
    }

    private static JsonlQuarantine quarantine(Map<String, JsonlQuarantine> files, Path tmp, String name) {
        return files.computeIfAbsent(name, n -> {
            try {
                return new JsonlQuarantine(tmp.resolve("quarantine").resolve(n + ".jsonl"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String original(String source, Source src, Path tmp) {
        if (source != null && source.startsWith(tmp.toString())) {
            String name = Path.of(source).getFileName().toString();
            for (String f : src.files()) {
                if (f.endsWith("/" + name) || f.equals(name)) {
                    return f;
                }
            }
        }
        return source;
    }

    /** Kept conversations as parts of at most {@code rowsPerPart} rows (one part when 0). */
    private final class Writer {
        private final int task;
        private final Path tmp;
        private final List<Part> parts;
        private ParquetShardWriter current;
        private long rows;

        Writer(int task, Path tmp, List<Part> parts) {
            this.task = task;
            this.tmp = tmp;
            this.parts = parts;
        }

        void write(Conversation c) {
            try {
                if (current == null) {
                    current = new ParquetShardWriter(tmp.resolve("part-" + parts.size()), Long.MAX_VALUE, true);
                }
                current.write(c);
                rows++;
                if (rowsPerPart > 0 && rows >= rowsPerPart) {
                    finish();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void finish() throws IOException {
            current.close();
            Path file = current.summary().shards().get(0);
            String target = Storage.child(phaseDir, String.format("part-%05d-%04d.parquet", task, parts.size()));
            storage.put(file, target);
            parts.add(new Part(target, rows));
            current = null;
            rows = 0;
        }

        void close() throws IOException {
            if (current != null) {
                finish();
            }
        }
    }
}
