package org.chatcorpus.core.io;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.chatcorpus.core.io.hub.HubInputs;
import org.chatcorpus.core.io.hub.HubUri;

/**
 * Expands what a user typed (files, directories, globs such as {@code data/train-*.parquet})
 * into a sorted list of regular files. Directories are walked recursively, following symbolic
 * links; hidden files, the dataset card, provenance and side files of a release are skipped.
 * {@code hf://datasets/OWNER/NAME[@REV][/PATH]} is the cached (or freshly pulled) snapshot of a
 * Hugging Face dataset.
 */
public final class InputFiles {
    private InputFiles() {
    }

    public static List<Path> expand(List<String> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String input : inputs) {
            out.addAll(expand(input));
        }
        return out;
    }

    public static List<Path> expand(String input) throws IOException {
        if (HubUri.isHubUri(input)) {
            return expand(HubInputs.resolve(input).toString());
        }
        if (input.contains("*") || input.contains("?") || input.contains("[") || input.contains("{")) {
            return glob(input);
        }
        Path p = Path.of(input);
        if (Files.isDirectory(p)) {
            return walk(p).stream().filter(InputFiles::isDataFile).sorted().toList();
        }
        if (!Files.exists(p)) {
            throw new NoSuchFileException(input, null, "input does not exist");
        }
        return List.of(p);
    }

    private static List<Path> glob(String pattern) throws IOException {
        // The root is the longest leading part without glob characters.
        Path root = Path.of(".");
        String[] parts = pattern.split("/", -1);
        StringBuilder prefix = new StringBuilder(pattern.startsWith("/") ? "/" : "");
        int firstGlob = 0;
        for (; firstGlob < parts.length; firstGlob++) {
            String part = parts[firstGlob];
            if (part.matches(".*[*?\\[{].*")) {
                break;
            }
            if (!part.isEmpty()) {
                prefix.append(part).append('/');
            }
        }
        if (prefix.length() > 0) {
            root = Path.of(prefix.toString());
        }
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(pattern, null, "no directory " + root + " for this pattern");
        }
        Path base = root;
        String rest = String.join("/", java.util.Arrays.copyOfRange(parts, firstGlob, parts.length));
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        List<Path> found = walk(base).stream().filter(f -> matcher.matches(base.relativize(f))).sorted().toList();
        if (found.isEmpty()) {
            throw new NoSuchFileException(pattern, null, "no file matches this pattern");
        }
        return found;
    }

    /**
     * The regular files under a directory, following symbolic links (a linked folder of logs is
     * data like any other); a link back to an ancestor is skipped instead of looping.
     */
    private static List<Path> walk(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    out.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof FileSystemLoopException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return out;
    }

    private static boolean isDataFile(Path f) {
        String name = f.getFileName().toString();
        return !name.startsWith(".") && !name.equalsIgnoreCase("README.md")
                && !name.equals("provenance.json") && !name.equals("near_duplicates.jsonl") && !f.toString().contains("/quarantine/");
    }
}
