package org.chatcorpus.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.chatcorpus.core.io.ConversationReader;
import org.chatcorpus.core.io.InputFiles;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.Readers;
import org.chatcorpus.core.io.parquet.ParquetConversationReader;
import org.chatcorpus.core.model.Conversation;

/**
 * Where the Spark runner reads and writes. A plain path (or an {@code hf://} dataset) is a local
 * file, read with java.nio exactly as the local runner reads it; a location with a scheme
 * ({@code file:}, {@code hdfs:}, {@code s3a:} …) goes through Hadoop's FileSystem with the job's
 * Hadoop configuration (so {@code spark.hadoop.*} settings and credentials reach the executors).
 * The readers and Parquet writer of core work on local files: a task copies a remote file to its
 * local temporary folder before reading it, and writes a part locally before uploading it.
 */
final class Storage implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> hadoop;
    private transient Configuration conf;

    Storage(Configuration conf) {
        Map<String, String> m = new TreeMap<>();
        conf.forEach(e -> m.put(e.getKey(), e.getValue()));
        this.hadoop = m;
    }

    /** True for a location java.nio reads directly: no scheme, or the Hub's hf://. */
    static boolean isPlain(String location) {
        return org.chatcorpus.pipeline.engine.Locations.isLocal(location);
    }

    private Configuration conf() {
        if (conf == null) {
            Configuration c = new Configuration(false);
            hadoop.forEach(c::set);
            conf = c;
        }
        return conf;
    }

    private FileSystem fs(String location) throws IOException {
        FileSystem fs = FileSystem.get(URI.create(location), conf());
        // Checksum side files (.crc) have no place in a release folder.
        fs.setWriteChecksum(false);
        return fs;
    }

    private static org.apache.hadoop.fs.Path hp(String location) {
        return new org.apache.hadoop.fs.Path(location);
    }

    /** A child location of a folder. */
    static String child(String dir, String name) {
        return isPlain(dir) ? Path.of(dir).resolve(name).toString() : (dir.endsWith("/") ? dir + name : dir + "/" + name);
    }

    /** The input files, in the local runner's order: each input expanded and sorted, inputs in the order given. */
    List<String> expand(List<String> inputs) throws IOException {
        List<String> out = new ArrayList<>();
        for (String in : inputs) {
            if (isPlain(in)) {
                InputFiles.expand(in).forEach(p -> out.add(p.toString()));
                continue;
            }
            FileSystem fs = fs(in);
            FileStatus[] matched = fs.globStatus(hp(in));
            if (matched == null || matched.length == 0) {
                throw new java.nio.file.NoSuchFileException(in, null, "input does not exist");
            }
            List<String> files = new ArrayList<>();
            for (FileStatus s : matched) {
                if (s.isDirectory()) {
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(s.getPath(), true);
                    while (it.hasNext()) {
                        LocatedFileStatus f = it.next();
                        if (isDataFile(f.getPath().getName())) {
                            files.add(f.getPath().toString());
                        }
                    }
                } else {
                    files.add(s.getPath().toString());
                }
            }
            files.sort(Comparator.naturalOrder());
            out.addAll(files);
        }
        return out;
    }

    /** Hidden and marker files (.crc, _SUCCESS) are not data, as Hadoop's own input formats skip them. */
    private static boolean isDataFile(String name) {
        return !name.startsWith(".") && !name.startsWith("_");
    }

    long size(String location) throws IOException {
        return isPlain(location) ? Files.size(Path.of(location)) : fs(location).getFileStatus(hp(location)).getLen();
    }

    boolean exists(String location) throws IOException {
        return isPlain(location) ? Files.exists(Path.of(location)) : fs(location).exists(hp(location));
    }

    InputStream open(String location) throws IOException {
        return isPlain(location) ? Files.newInputStream(Path.of(location)) : fs(location).open(hp(location));
    }

    OutputStream create(String location) throws IOException {
        if (isPlain(location)) {
            Path p = Path.of(location);
            Files.createDirectories(p.toAbsolutePath().getParent());
            return Files.newOutputStream(p);
        }
        return fs(location).create(hp(location), true);
    }

    void mkdirs(String dir) throws IOException {
        if (isPlain(dir)) {
            Files.createDirectories(Path.of(dir));
        } else {
            fs(dir).mkdirs(hp(dir));
        }
    }

    void delete(String location) throws IOException {
        if (isPlain(location)) {
            Path p = Path.of(location);
            if (Files.exists(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(x);
                    }
                }
            }
        } else {
            fs(location).delete(hp(location), true);
        }
    }

    /**
     * A local file holding the location's bytes: the file itself when plain, else a copy in
     * {@code tmp} under the same name (readers tell formats by name and content).
     */
    Path local(String location, Path tmp) throws IOException {
        if (isPlain(location)) {
            return Path.of(location);
        }
        Path dir = Files.createTempDirectory(tmp, "in-");
        Path copy = dir.resolve(hp(location).getName());
        try (InputStream in = open(location)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    /**
     * Reads what one task was given: each file made local, then a Parquet split by its byte range,
     * any other format whole, into {@code sink} (bad records to {@code quarantine}).
     */
    void read(Source src, Path tmp, Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        List<Path> local = new ArrayList<>();
        for (String f : src.files()) {
            local.add(local(f, tmp));
        }
        ConversationReader reader = Readers.byName(src.format());
        if (reader instanceof ParquetConversationReader pq) {
            for (Path p : local) {
                pq.readRange(p, src.start(), src.end(), sink, quarantine);
            }
        } else {
            reader.readAll(local, sink, quarantine);
        }
    }

    /** The first {@code bytes} of a location as a local file of the same name, for format detection. */
    Path localHead(String location, Path tmp, int bytes) throws IOException {
        if (isPlain(location)) {
            return Path.of(location);
        }
        Path dir = Files.createTempDirectory(tmp, "head-");
        Path copy = dir.resolve(hp(location).getName());
        try (InputStream in = open(location)) {
            Files.write(copy, in.readNBytes(bytes));
        }
        return copy;
    }

    /** Moves a finished local file to its location (replacing what a failed attempt left there). */
    void put(Path local, String location) throws IOException {
        if (isPlain(location)) {
            Path target = Path.of(location);
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.move(local, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
            fs(location).copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(local.toUri()), hp(location));
        }
    }

    /** Appends the bytes of {@code parts}, in order, to one file (the quarantine of a stage, say). */
    void concat(List<String> parts, String location) throws IOException {
        try (OutputStream out = create(location)) {
            for (String p : parts) {
                try (InputStream in = open(p)) {
                    in.transferTo(out);
                }
            }
        }
    }

    static void deleteLocal(Path p) {
        try {
            if (Files.exists(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(x);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
