package org.chatcorpus.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.chatcorpus.core.ChatCorpusVersion;
import org.chatcorpus.core.generate.ReleaseWriter;
import org.chatcorpus.core.io.ConversationWriter;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.io.json.CanonicalJson;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.progress.Progress;

/**
 * Runs a pipeline on this machine. Consecutive per-conversation stages form one phase, run on all
 * cores in ordered batches (so the output order, and the bytes written, do not depend on thread
 * scheduling); each whole-dataset stage is a phase of its own. Every phase writes its output to a
 * spill file under the work directory and then a DONE marker: a run that is killed and restarted
 * with the same inputs and configuration skips the finished phases and redoes only the one that
 * was interrupted, producing the same bytes as an uninterrupted run.
 *
 * <p>The release folder holds only what may be published: shards, the dataset card and
 * {@code provenance.json} (inputs relative to their common folder, with SHA-256). The quarantine
 * (raw rejected records, which can hold IP addresses and unredacted text) and the run state live
 * in the work directory, by default the sibling {@code OUT.work/}: {@code quarantine/*.jsonl} and
 * {@code run/} (removed when the run completes). A rerun first removes the old card and
 * provenance, and writes them last, atomically, so an unfinished rerun never leaves them
 * describing data that is gone.
 */
public final class LocalRunner {
    private static final int BATCH = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineConfig config;
    private final long shardBytes;
    private final Path inputRoot;

    public LocalRunner(PipelineConfig config, long shardBytes) {
        this(config, shardBytes, null);
    }

    private LocalRunner(PipelineConfig config, long shardBytes, Path inputRoot) {
        this.config = config;
        this.shardBytes = shardBytes;
        this.inputRoot = inputRoot;
    }

    /** The folder provenance paths are relative to (default: the inputs' deepest common folder). */
    public LocalRunner withInputRoot(Path root) {
        return new LocalRunner(config, shardBytes, root);
    }

    /**
     * @param quarantine the folder of quarantined records (outside the release unless asked otherwise)
     */
    public record Result(List<StageCounts> counts, ParquetShardWriter.Summary output, long quarantined, Path provenance, Path quarantine) {
    }

    /** The work directory used when none is given: {@code OUT.work} beside the release folder. */
    public static Path defaultWorkDir(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".work");
    }

    public Result run(List<String> inputs, String format, Path out) throws IOException {
        return run(inputs, format, out, defaultWorkDir(out));
    }

    /** Runs into the release folder {@code out}, keeping quarantine and run state in {@code work}. */
    public Result run(List<String> inputs, String format, Path out, Path work) throws IOException {
        long started = System.nanoTime();
        List<Object> stages = new ArrayList<>();
        for (PipelineConfig.StageSpec s : config.stages()) {
            stages.add(StageFactory.create(s, config.seed(), out));
        }
        List<Phase> phases = Phase.of(stages);
        List<Path> inputFiles = new DatasetReader(inputs, format).files();
        Path run = work.resolve("run");
        String plan = planSignature(inputFiles, format);
        // Only once the inputs are known to exist, so a mistyped command leaves an existing release whole.
        Files.createDirectories(out);
        removeStale(out);
        Path planFile = run.resolve("plan.txt");
        if (Files.exists(run) && !(Files.exists(planFile) && Files.readString(planFile).equals(plan))) {
            deleteTree(run); // a different run's leftovers: start over
        }
        Files.createDirectories(run);
        Files.writeString(planFile, plan);
        Path quarantineDir = work.resolve("quarantine");
        Files.createDirectories(quarantineDir);

        List<StageCounts> counts = new ArrayList<>();
        long quarantined = 0;
        Path previous = null;
        for (int k = 0; k < phases.size(); k++) {
            Phase phase = phases.get(k);
            Path dir = run.resolve("phase-" + k);
            Path done = dir.resolve("DONE");
            if (!Files.exists(done)) {
                deleteTree(dir);
                Files.createDirectories(dir);
                List<StageCounts> phaseCounts = runPhase(k, phase, previous, inputs, format, dir, quarantineDir);
                ArrayNode saved = JSON.createArrayNode();
                phaseCounts.forEach(c -> saved.add(c.toJson(JSON)));
                Files.writeString(dir.resolve("counts.json"), saved.toString());
                Files.writeString(done, "");
            }
            for (var n : JSON.readTree(dir.resolve("counts.json").toFile())) {
                StageCounts c = StageCounts.fromJson(n);
                if (!c.stage().equals("read")) {
                    counts.add(c);
                }
                if (c.stage().equals("read")) {
                    quarantined += c.droppedTotal();
                }
            }
            previous = dir;
        }
        // Write the release from the last phase's output (or straight from the input if there are no stages).
        Path dataDir = out.resolve("data");
        deleteTree(dataDir);
        ParquetShardWriter.Summary summary;
        try (Progress progress = Progress.start("write", -1)) {
            ReleaseWriter writer = new ReleaseWriter(out, "Curated release", Provenance.cardDescription(inputFiles.size(), stages), shardBytes);
            try {
                Iterator<Conversation> it = source(previous, inputs, format, Quarantine.counting());
                while (it.hasNext()) {
                    writer.write(it.next());
                    progress.advance(1);
                }
            } finally {
                writer.close();
            }
            summary = writer.summary();
        }
        Path provenance = writeProvenance(out, inputFiles, stages, counts, quarantined, summary, (System.nanoTime() - started) / 1e9);
        deleteTree(run);
        return new Result(counts, summary, quarantined, provenance, quarantineDir);
    }

    /**
     * Removes what would describe a previous release while this run replaces it (card, provenance),
     * and what older versions kept inside the release folder (run state, the quarantine with raw
     * rejected records) and must not be published.
     */
    private static void removeStale(Path out) throws IOException {
        Files.deleteIfExists(out.resolve("provenance.json"));
        Files.deleteIfExists(out.resolve("README.md"));
        deleteTree(out.resolve(".work"));
        deleteTree(out.resolve("quarantine"));
    }

    /** The conversations entering a phase: the previous phase's spill, or the inputs for the first. */
    private static Iterator<Conversation> source(Path previousPhase, List<String> inputs, String format, Quarantine quarantine) {
        DatasetReader reader = previousPhase == null ? new DatasetReader(inputs, format)
                : new DatasetReader(List.of(previousPhase.toString()), "parquet");
        return reader.iterator(quarantine, 4 * BATCH);
    }

    private List<StageCounts> runPhase(int k, Phase phase, Path previous, List<String> inputs, String format, Path dir,
            Path quarantineDir) throws IOException {
        List<StageCounts> counts = new ArrayList<>();
        StageCounts read = new StageCounts("read");
        JsonlQuarantine readQuarantine = previous == null ? new JsonlQuarantine(quarantineDir.resolve("read.jsonl")) : null;
        Quarantine sourceQuarantine = readQuarantine != null ? countingInto(readQuarantine, read) : Quarantine.counting();
        ParquetShardWriter spill = new ParquetShardWriter(dir, Long.MAX_VALUE, true);
        try (Progress progress = Progress.start(phase.name(), -1)) {
            if (phase.dataset() != null) {
                StageCounts c = new StageCounts(phase.dataset().name());
                long t0 = System.nanoTime();
                try (JsonlQuarantine drops = new JsonlQuarantine(quarantineDir.resolve(phase.dataset().name() + ".jsonl"))) {
                    phase.dataset().run(() -> DatasetStage.Pass.over(source(previous, inputs, format, sourceQuarantine)),
                            outcomes(phase.dataset().name(), c, spill, drops, progress));
                }
                c.addNanos(System.nanoTime() - t0);
                counts.add(c);
            } else {
                runChain(phase.chain(), source(previous, inputs, format, sourceQuarantine), spill, quarantineDir, counts, progress);
            }
        } finally {
            spill.close();
            if (readQuarantine != null) {
                readQuarantine.close();
            }
        }
        if (previous == null) {
            counts.add(0, read);
        }
        return counts;
    }

    /** Counts, writes and quarantines what a whole-dataset stage reports, as the chain does for its stages. */
    private static DatasetStage.Outcomes outcomes(String stage, StageCounts c, ParquetShardWriter spill, JsonlQuarantine drops,
            Progress progress) {
        return new DatasetStage.Outcomes() {
            @Override
            public void keep(Conversation conv) {
                c.record(StageOutcome.keep(conv));
                write(spill, conv);
                progress.advance(1);
            }

            @Override
            public void change(Conversation conv) {
                c.record(StageOutcome.change(conv));
                write(spill, conv);
                progress.advance(1);
            }

            @Override
            public void drop(Conversation conv, String reason) {
                c.record(StageOutcome.drop(reason));
                drops.reject(dropped(stage, conv, reason));
                progress.advance(1);
            }
        };
    }

    private static QuarantinedRecord dropped(String stage, Conversation c, String reason) {
        return Rejections.dropped(stage, c, reason);
    }

    /** Counts each rejected input record as a "read" drop while writing it to the quarantine file. */
    private static Quarantine countingInto(JsonlQuarantine file, StageCounts read) {
        return new Quarantine() {
            @Override
            public void reject(QuarantinedRecord r) {
                file.reject(r);
                read.record(StageOutcome.drop("unreadable_record"));
            }

            @Override
            public long count() {
                return file.count();
            }
        };
    }

    private void runChain(List<Stage> chain, Iterator<Conversation> in, ParquetShardWriter spill, Path quarantineDir,
            List<StageCounts> counts, Progress progress) throws IOException {
        List<StageCounts> stageCounts = chain.stream().map(s -> new StageCounts(s.name())).toList();
        List<JsonlQuarantine> dropFiles = new ArrayList<>();
        for (Stage s : chain) {
            dropFiles.add(new JsonlQuarantine(quarantineDir.resolve(s.name() + ".jsonl")));
        }
        // Kept conversations with a note (e.g. moderate's "unmoderated"), listed per stage and note.
        java.util.Map<String, JsonlQuarantine> noteFiles = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            List<Conversation> batch = new ArrayList<>(BATCH);
            while (true) {
                batch.clear();
                while (batch.size() < BATCH && in.hasNext()) {
                    batch.add(in.next());
                }
                if (batch.isEmpty()) {
                    break;
                }
                // Parallel over the batch, collected in input order: deterministic output.
                List<Conversation> results = batch.parallelStream().map(c -> {
                    Conversation cur = c;
                    for (int i = 0; i < chain.size(); i++) {
                        long t0 = System.nanoTime();
                        StageOutcome o = chain.get(i).process(cur);
                        stageCounts.get(i).addNanos(System.nanoTime() - t0);
                        stageCounts.get(i).record(o);
                        if (o.dropped()) {
                            dropFiles.get(i).reject(dropped(chain.get(i).name(), cur, o.dropReason()));
                            return null;
                        }
                        if (o.note() != null) {
                            String name = Rejections.noteFile(chain.get(i).name(), o);
                            noteFiles.computeIfAbsent(name, n -> openQuarantine(quarantineDir.resolve(n + ".jsonl")))
                                    .reject(Rejections.noted(chain.get(i).name(), cur, o));
                        }
                        cur = o.conversation();
                    }
                    return cur;
                }).toList();
                for (Conversation r : results) {
                    if (r != null) {
                        write(spill, r);
                    }
                }
                progress.advance(batch.size());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (JsonlQuarantine q : dropFiles) {
                q.close();
            }
            for (JsonlQuarantine q : noteFiles.values()) {
                q.close();
            }
        }
        counts.addAll(stageCounts);
    }

    private static JsonlQuarantine openQuarantine(Path file) {
        try {
            return new JsonlQuarantine(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(ConversationWriter w, Conversation c) {
        try {
            w.write(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String planSignature(List<Path> files, String format) throws IOException {
        StringBuilder sb = new StringBuilder(ChatCorpusVersion.get()).append('\n').append(format).append('\n');
        // Canonical (key-sorted) so the same configuration always gives the same plan, whatever map holds it.
        sb.append(new String(CanonicalJson.bytes(JSON.valueToTree(config)), StandardCharsets.UTF_8)).append('\n').append(shardBytes).append('\n');
        for (Path f : files) {
            sb.append(f.toAbsolutePath()).append(' ').append(Files.size(f)).append(' ').append(Files.getLastModifiedTime(f).toMillis()).append('\n');
        }
        return sb.toString();
    }

    private Path writeProvenance(Path out, List<Path> inputFiles, List<Object> stages, List<StageCounts> counts, long quarantined,
            ParquetShardWriter.Summary summary, double seconds) throws IOException {
        // Paths relative to the inputs' common folder, named but not located: an absolute path
        // would publish the curator's directory layout (user names, mounts) with the release.
        Path root = inputRoot != null ? inputRoot.toAbsolutePath().normalize() : commonFolder(inputFiles);
        List<Provenance.Input> in = new ArrayList<>();
        for (Path f : inputFiles) {
            in.add(new Provenance.Input(root.relativize(f.toAbsolutePath().normalize()).toString(), Files.size(f), sha256(f)));
        }
        ObjectNode p = Provenance.build(config, "local", java.util.Map.of(), stages, root.getFileName() == null ? "/" : root.getFileName().toString(),
                in, counts, quarantined, new Provenance.Output(summary.shards().stream().map(s -> out.relativize(s).toString()).toList(),
                        summary.numExamples(), summary.downloadSize()), seconds);
        Path file = out.resolve("provenance.json");
        CanonicalJson.write(file, p);
        return file;
    }

    /** The deepest folder holding every input file. */
    public static Path commonFolder(List<Path> files) {
        Path common = null;
        for (Path f : files) {
            Path parent = f.toAbsolutePath().normalize().getParent();
            if (common == null) {
                common = parent;
            } else {
                while (!parent.startsWith(common)) {
                    common = common.getParent();
                }
            }
        }
        return common == null ? Path.of("").toAbsolutePath() : common;
    }

    public static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** The per-stage table printed at the end of a run. */
    public static String summaryTable(List<StageCounts> counts) {
        double total = counts.stream().mapToDouble(StageCounts::seconds).sum();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %12s %12s %12s %12s %9s %6s  %s%n", "stage", "in", "out",
                "changed", "dropped", "cpu s", "cost", "dropped by reason"));
        for (StageCounts c : counts) {
            sb.append(String.format(Locale.ROOT, "%-10s %,12d %,12d %,12d %,12d %9.1f %5.0f%%  %s%n", c.stage(), c.seen(), c.kept(),
                    c.changed(), c.droppedTotal(), c.seconds(), total > 0 ? 100 * c.seconds() / total : 0,
                    (c.dropped().isEmpty() ? "" : c.dropped().toString()) + (c.noted().isEmpty() ? "" : " kept with notes " + c.noted())));
        }
        return sb.toString();
    }
}
