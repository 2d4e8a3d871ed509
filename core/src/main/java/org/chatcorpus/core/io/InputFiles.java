package org.chatcorpus.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.chatcorpus.core.io.hub.HubInputs;
import org.chatcorpus.core.io.hub.HubUri;

/**
 * Expands what a user typed (files, directories, globs such as {@code data/train-*.parquet})
 * into a sorted list of regular files. Directories are walked recursively; hidden files and
 * the dataset card are skipped. {@code hf://datasets/OWNER/NAME[@REV][/PATH]} is the cached (or
 * freshly pulled) snapshot of a Hugging Face dataset.
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
            try (Stream<Path> walk = Files.walk(p)) {
                return walk.filter(Files::isRegularFile).filter(InputFiles::isDataFile).sorted().toList();
            }
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
        try (Stream<Path> walk = Files.walk(base)) {
            List<Path> found = walk.filter(Files::isRegularFile)
                    .filter(f -> matcher.matches(base.relativize(f)))
                    .sorted().toList();
            if (found.isEmpty()) {
                throw new NoSuchFileException(pattern, null, "no file matches this pattern");
            }
            return found;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean isDataFile(Path f) {
        String name = f.getFileName().toString();
        return !name.startsWith(".") && !name.equalsIgnoreCase("README.md")
                && !name.equals("provenance.json") && !f.toString().contains("/quarantine/");
    }
}
