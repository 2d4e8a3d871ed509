package org.chatcorpus.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.chatcorpus.core.generate.ReleaseWriter;
import org.chatcorpus.core.io.JsonlQuarantine;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.json.CanonicalJson;
import org.chatcorpus.core.io.parquet.ParquetConversationReader;
import org.chatcorpus.core.io.parquet.ParquetShardWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.pipeline.DatasetStage;
import org.chatcorpus.pipeline.LocalRunner;
import org.chatcorpus.pipeline.Phase;
import org.chatcorpus.pipeline.PipelineConfig;
import org.chatcorpus.pipeline.Provenance;
import org.chatcorpus.pipeline.Rejections;
import org.chatcorpus.pipeline.StageCounts;
import org.chatcorpus.pipeline.StageFactory;
import org.chatcorpus.pipeline.StageOutcome;
import org.chatcorpus.pipeline.engine.CurateJob;
import org.chatcorpus.pipeline.engine.CurateResult;
import org.chatcorpus.pipeline.stages.DedupStage;
import org.chatcorpus.pipeline.stages.NearDuplicateStage;
import org.chatcorpus.pipeline.stages.SampleStage;

/**
 * curate on Spark: the pipeline's own stage objects, cut into the local runner's phases. A chain
 * of per-conversation stages runs as a partition map (one task per input split or per part the
 * previous phase wrote); dedup, near_dup and sample run as Spark operations over per-conversation
 * keys (see {@link SparkDedup}, {@link SparkNearDuplicates}, {@link SparkSample}); any other
 * whole-dataset stage runs its own {@code run} on the driver over the ordered parts. Every phase
 * writes Parquet parts to {@code WORK/run/phase-K/}, which the next phase reads.
 *
 * <p>Order key: every conversation keeps the position the local runner gives it — input files in
 * the local runner's order, then the record's position in its file — carried as (task, part,
 * row) and, for whole-dataset stages, as the index the prefix sums of part sizes give. After
 * sample the order is the sample's (CPython's shuffle), as locally. The release is written by the
 * driver from the last phase's parts in that order with the local runner's writer, so the shards,
 * the card and (but for {@code engine} and {@code timing}) {@code provenance.json} are the local
 * runner's bytes. The quarantine is the local runner's layout, {@code WORK/quarantine/STAGE.jsonl},
 * in order.
 */
final class SparkCurate {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows per part when the input has fewer splits than the cluster has cores: more, smaller tasks. */
    static final String PARTITION_ROWS = "partitionRows";

    private final JavaSparkContext sc;
    private final Storage storage;
    private final CurateJob job;
    private final Path tmp;
    private final Map<String, List<String>> quarantineParts = new LinkedHashMap<>();
    private final List<StageCounts> counts = new ArrayList<>();
    private long quarantined;

    private SparkCurate(JavaSparkContext sc, CurateJob job, Path tmp) {
        this.sc = sc;
        this.storage = new Storage(sc.hadoopConfiguration());
        this.job = job;
        this.tmp = tmp;
    }

    static CurateResult run(JavaSparkContext sc, CurateJob job) throws IOException {
        Path tmp = Files.createTempDirectory("chatcorpus-spark-driver-");
        try {
            return new SparkCurate(sc, job, tmp).run();
        } finally {
            Storage.deleteLocal(tmp);
        }
    }

    private CurateResult run() throws IOException {
        long started = System.nanoTime();
        String out = job.out();
        boolean plainOut = Storage.isPlain(out);
        String work = job.work() != null ? job.work()
                : plainOut ? LocalRunner.defaultWorkDir(Path.of(out)).toString() : out.replaceAll("/+$", "") + ".work";
        // The release is built in a local folder (the release itself when local) and uploaded at the end.
        Path release = plainOut ? Path.of(out) : tmp.resolve("release");
        PipelineConfig config = job.config();
        List<Object> stages = new ArrayList<>();
        for (PipelineConfig.StageSpec s : config.stages()) {
            stages.add(StageFactory.create(s, config.seed(), release));
        }
        List<Phase> phases = Phase.of(stages);
        InputPlan plan = InputPlan.of(storage, job.inputs(), job.format(), tmp);
        // Only once the inputs are known to exist, so a mistyped command leaves an existing release whole.
        Files.createDirectories(release);
        removeStale(release);
        if (!plainOut) {
            storage.delete(Storage.child(out, "provenance.json"));
            storage.delete(Storage.child(out, "README.md"));
        }
        String run = Storage.child(work, "run");
        String quarantineDir = Storage.child(work, "quarantine");
        storage.delete(run);
        storage.mkdirs(run);
        storage.mkdirs(quarantineDir);

        // Files no reader recognises: quarantined whole, first, as the local runner's reading does.
        StageCounts read = new StageCounts("read");
        if (!plan.unreadable().isEmpty()) {
            Path f = tmp.resolve("unreadable.jsonl");
            try (JsonlQuarantine q = new JsonlQuarantine(f)) {
                plan.unreadable().forEach(r -> {
                    q.reject(r);
                    read.record(StageOutcome.drop("unreadable_record"));
                });
            }
            String target = Storage.child(run, "unreadable.jsonl");
            storage.put(f, target);
            quarantineParts.computeIfAbsent("read", k -> new ArrayList<>()).add(target);
        }
        quarantined += read.droppedTotal();
        quarantineParts.computeIfAbsent("read", k -> new ArrayList<>());

        long partitionRows = Long.parseLong(job.settings().getOrDefault(PARTITION_ROWS, "50000"));
        List<Part> parts = null;
        for (int k = 0; k < phases.size() || parts == null; k++) {
            Phase phase = k < phases.size() ? phases.get(k) : new Phase(List.of(), null);
            String phaseDir = Storage.child(run, "phase-" + k);
            if (parts == null && phase.dataset() != null) {
                // A whole-dataset stage needs its input as indexed parts: read it first.
                parts = chain(List.of(), plan.splits(), Storage.child(run, "read"), partitionRows(plan, partitionRows));
                k--;
                continue;
            }
            if (phase.dataset() == null) {
                parts = chain(phase.chain(), parts == null ? plan.splits() : sources(parts), phaseDir,
                        parts == null ? partitionRows(plan, partitionRows) : 0);
                if (k >= phases.size()) {
                    break;
                }
            } else {
                parts = dataset(phase.dataset(), parts, phaseDir);
            }
        }

        // The release, from the last phase's parts in order, by the local runner's writer.
        ParquetShardWriter.Summary summary;
        Path dataDir = release.resolve("data");
        Storage.deleteLocal(dataDir);
        ReleaseWriter writer = new ReleaseWriter(release, "Curated release", Provenance.cardDescription(plan.files().size(), stages),
                job.shardBytes());
        try {
            for (Part p : parts) {
                readPart(p, c -> {
                    try {
                        writer.write(c);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            writer.close();
        }
        summary = writer.summary();

        // Quarantine files, each the concatenation of its tasks' parts in task order.
        for (Map.Entry<String, List<String>> q : quarantineParts.entrySet()) {
            storage.concat(q.getValue(), Storage.child(quarantineDir, q.getKey() + ".jsonl"));
        }

        Map<String, String> engine = new TreeMap<>();
        engine.put("spark_version", sc.version());
        engine.put("master", sc.master());
        ObjectNode prov = Provenance.build(config, "spark", engine, stages, inputRootName(plan.files()), inputs(plan.files()), counts,
                quarantined, new Provenance.Output(summary.shards().stream().map(s -> release.relativize(s).toString()).toList(),
                        summary.numExamples(), summary.downloadSize()), (System.nanoTime() - started) / 1e9);
        CanonicalJson.write(release.resolve("provenance.json"), prov);
        if (!plainOut) {
            upload(release, out);
        }
        storage.delete(run);
        return new CurateResult(List.copyOf(counts), summary.numExamples(), summary.shards().size(), quarantined,
                Storage.child(out, "data"), Storage.child(out, "README.md"), Storage.child(out, "provenance.json"), quarantineDir);
    }

    /** Cuts a small input into parts of {@code rows} when it has fewer splits than there are cores to run them. */
    private long partitionRows(InputPlan plan, long rows) {
        if (job.settings().containsKey(PARTITION_ROWS)) {
            return rows;
        }
        return plan.splits().size() >= sc.defaultParallelism() ? 0 : rows;
    }

    private static void removeStale(Path out) throws IOException {
        Files.deleteIfExists(out.resolve("provenance.json"));
        Files.deleteIfExists(out.resolve("README.md"));
        Storage.deleteLocal(out.resolve(".work"));
        Storage.deleteLocal(out.resolve("quarantine"));
    }

    /** The previous phase's parts as sources, each with the index of its first conversation. */
    static List<Source> sources(List<Part> parts) {
        List<Source> out = new ArrayList<>();
        long offset = 0;
        for (Part p : parts) {
            out.add(Source.part(p, offset));
            offset += p.rows();
        }
        return out;
    }

    /** A chain phase: one task per source, each a partition map over its conversations. */
    private List<Part> chain(List<org.chatcorpus.pipeline.Stage> chain, List<Source> sources, String phaseDir, long rowsPerPart)
            throws IOException {
        PartTask task = PartTask.chain(storage, phaseDir, rowsPerPart, chain);
        List<String> names = new ArrayList<>();
        if (sources.stream().anyMatch(s -> s.part() == null)) {
            names.add("read");
        }
        chain.forEach(s -> names.add(s.name()));
        return collect(runTasks(sc, sources, task), names);
    }

    static List<TaskResult> runTasks(JavaSparkContext sc, List<Source> sources, PartTask task) {
        if (sources.isEmpty()) {
            return List.of();
        }
        // One slice per source: parallelize cuts n elements into n slices of one, in order.
        return sc.parallelize(sources, sources.size()).mapPartitionsWithIndex((Integer i, Iterator<Source> it) -> {
            List<TaskResult> r = new ArrayList<>();
            while (it.hasNext()) {
                r.add(task.run(i, it.next()));
            }
            return r.iterator();
        }, true).collect();
    }

    /** Adds the tasks' counts and quarantine parts (in task order) to the run's; returns their parts in order. */
    List<Part> collect(List<TaskResult> results, List<String> names) throws IOException {
        Map<String, StageCounts> merged = new LinkedHashMap<>();
        for (String n : names) {
            merged.put(n, new StageCounts(n));
        }
        List<Part> parts = new ArrayList<>();
        for (TaskResult r : results) {
            parts.addAll(r.parts());
            for (JsonNode n : JSON.readTree(r.counts())) {
                StageCounts c = StageCounts.fromJson(n);
                merged.computeIfAbsent(c.stage(), StageCounts::new).merge(c);
            }
            r.quarantine().forEach((name, loc) -> quarantineParts.computeIfAbsent(name, k -> new ArrayList<>()).add(loc));
        }
        for (StageCounts c : merged.values()) {
            if (c.stage().equals("read")) {
                quarantined += c.droppedTotal();
            } else {
                counts.add(c);
                quarantineParts.computeIfAbsent(c.stage(), k -> new ArrayList<>());
            }
        }
        return parts;
    }

    private List<Part> dataset(DatasetStage stage, List<Part> parts, String phaseDir) throws IOException {
        long t0 = System.nanoTime();
        List<Part> out;
        StageCounts c;
        if (stage instanceof DedupStage d) {
            SparkDedup.Result r = SparkDedup.run(sc, storage, d, sources(parts), phaseDir);
            out = applied(stage, r.fates(), parts, phaseDir);
            if (d.highFrequency().equals("tag") && d.tagFile() != null) {
                writeSide(Path.of(d.tagFile()), lastSide);
            }
        } else if (stage instanceof NearDuplicateStage nd) {
            SparkNearDuplicates.Result r = SparkNearDuplicates.run(sc, storage, nd, sources(parts));
            out = applied(stage, r.fates(), parts, phaseDir);
            if (!nd.drops() && nd.tagFile() != null) {
                writeSide(Path.of(nd.tagFile()), r.tagRows(lastSide));
            }
        } else if (stage instanceof SampleStage s) {
            SparkSample.Result r = SparkSample.run(sc, storage, s, sources(parts), phaseDir);
            out = r.parts();
            StageCounts sc = new StageCounts(stage.name());
            sc.merge(r.counts());
            counts.add(sc);
            quarantineParts.computeIfAbsent(stage.name(), k -> new ArrayList<>()).addAll(r.quarantine());
        } else {
            out = onDriver(stage, parts, phaseDir);
        }
        // A dataset stage's time is its phase's wall time, as the local runner counts it.
        c = counts.get(counts.size() - 1);
        c.addNanos(System.nanoTime() - t0 - (long) (c.seconds() * 1e9));
        return out;
    }

    private List<TaskResult.Side> lastSide = List.of();

    /** Applies a whole-dataset stage's decisions, one task per part; keeps its side rows in index order. */
    private List<Part> applied(DatasetStage stage, Fates fates, List<Part> parts, String phaseDir) throws IOException {
        List<TaskResult> results = runTasks(sc, sources(parts), PartTask.fates(storage, phaseDir, stage.name(), fates));
        List<TaskResult.Side> side = new ArrayList<>();
        results.forEach(r -> side.addAll(r.side()));
        side.sort(java.util.Comparator.comparingLong(TaskResult.Side::index));
        lastSide = side;
        return collect(results, List.of(stage.name()));
    }

    private static void writeSide(Path file, List<TaskResult.Side> rows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (TaskResult.Side s : rows) {
                w.write(s.row());
                w.write('\n');
            }
        }
    }

    /**
     * A whole-dataset stage Spark has no distributed form of: its own {@code run}, on the driver,
     * over the parts in order (the local runner's contract, at the local runner's speed).
     */
    private List<Part> onDriver(DatasetStage stage, List<Part> parts, String phaseDir) throws IOException {
        StageCounts c = new StageCounts(stage.name());
        Path dir = tmp.resolve("driver-" + stage.name());
        Path q = tmp.resolve("driver-" + stage.name() + ".jsonl");
        ParquetShardWriter writer = new ParquetShardWriter(dir, Long.MAX_VALUE, true);
        try (JsonlQuarantine drops = new JsonlQuarantine(q)) {
            stage.run(() -> pass(parts), new DatasetStage.Outcomes() {
                @Override
                public void keep(Conversation conv) {
                    c.record(StageOutcome.keep(conv));
                    write(writer, conv);
                }

                @Override
                public void change(Conversation conv) {
                    c.record(StageOutcome.change(conv));
                    write(writer, conv);
                }

                @Override
                public void drop(Conversation conv, String reason) {
                    c.record(StageOutcome.drop(reason));
                    drops.reject(Rejections.dropped(stage.name(), conv, reason));
                }
            });
        } finally {
            writer.close();
        }
        counts.add(c);
        String qTarget = PartTask.quarantinePart(phaseDir, stage.name(), 0);
        storage.put(q, qTarget);
        quarantineParts.computeIfAbsent(stage.name(), k -> new ArrayList<>()).add(qTarget);
        List<Part> out = new ArrayList<>();
        if (!writer.summary().shards().isEmpty()) {
            String target = Storage.child(phaseDir, "part-00000-0000.parquet");
            storage.put(writer.summary().shards().get(0), target);
            out.add(new Part(target, writer.summary().numExamples()));
        }
        return out;
    }

    private static void write(ParquetShardWriter w, Conversation c) {
        try {
            w.write(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One ordered pass over the parts, on the driver. */
    private DatasetStage.Pass pass(List<Part> parts) {
        List<Path> local = new ArrayList<>();
        try {
            for (Part p : parts) {
                local.add(storage.local(p.location(), tmp));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return DatasetStage.Pass.over(new org.chatcorpus.core.io.DatasetReader(local.stream().map(Path::toString).toList(), "parquet")
                .iterator(Quarantine.counting(), 4096));
    }

    private void readPart(Part p, java.util.function.Consumer<Conversation> sink) throws IOException {
        Path local = storage.local(p.location(), tmp);
        try {
            new ParquetConversationReader().read(local, sink, Quarantine.counting());
        } finally {
            if (!Storage.isPlain(p.location())) {
                Files.deleteIfExists(local);
            }
        }
    }

    private void upload(Path release, String out) throws IOException {
        storage.delete(Storage.child(out, "data"));
        try (Stream<Path> walk = Files.walk(release)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                String target = Storage.child(out, release.relativize(f).toString().replace('\\', '/'));
                try (OutputStream o = storage.create(target)) {
                    Files.copy(f, o);
                }
            }
        }
    }

    /** Input paths relative to their common folder, with sizes and SHA-256 (hashed by the executors). */
    private List<Provenance.Input> inputs(List<String> files) throws IOException {
        String root = inputRoot(files);
        Storage st = storage;
        List<String> hashes = files.isEmpty() ? List.of()
                : sc.parallelize(files, Math.min(files.size(), Math.max(1, sc.defaultParallelism()))).map(f -> sha256(st, f)).collect();
        List<Provenance.Input> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String f = files.get(i);
            out.add(new Provenance.Input(relative(root, f), storage.size(f), hashes.get(i)));
        }
        return out;
    }

    static String sha256(Storage st, String f) throws IOException {
        if (Storage.isPlain(f)) {
            return LocalRunner.sha256(Path.of(f));
        }
        try (var in = st.open(f)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The folder provenance paths are relative to: --input-root, else the inputs' deepest common folder. */
    private String inputRoot(List<String> files) {
        if (job.inputRoot() != null) {
            return Storage.isPlain(job.inputRoot()) ? Path.of(job.inputRoot()).toAbsolutePath().normalize().toString() : job.inputRoot();
        }
        if (files.stream().allMatch(Storage::isPlain)) {
            return LocalRunner.commonFolder(files.stream().map(Path::of).toList()).toString();
        }
        String common = null;
        for (String f : files) {
            String parent = f.substring(0, f.lastIndexOf('/'));
            if (common == null) {
                common = parent;
            } else {
                while (!(parent + "/").startsWith(common + "/")) {
                    common = common.substring(0, common.lastIndexOf('/'));
                }
            }
        }
        return common == null ? "" : common;
    }

    private String inputRootName(List<String> files) {
        String root = inputRoot(files);
        if (Storage.isPlain(root)) {
            Path p = Path.of(root);
            return p.getFileName() == null ? "/" : p.getFileName().toString();
        }
        String r = root.replaceAll("/+$", "");
        return r.substring(r.lastIndexOf('/') + 1);
    }

    private static String relative(String root, String f) {
        if (Storage.isPlain(f) && Storage.isPlain(root)) {
            return Path.of(root).relativize(Path.of(f).toAbsolutePath().normalize()).toString();
        }
        return f.startsWith(root + "/") ? f.substring(root.length() + 1) : f;
    }
}
