package org.chatcorpus.core.io.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * The cache folder huggingface_hub uses, so that a dataset pulled by either tool is found by the
 * other: {@code <root>/datasets--OWNER--NAME/} holds {@code blobs/<etag>} (each file's bytes once,
 * named by its sha256 for LFS files or git blob id otherwise), {@code snapshots/<commit>/<path>}
 * (relative symlinks to the blobs) and {@code refs/<revision>} (the commit a branch or tag was).
 */
public final class HubCache {
    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    /**
     * The cache root as huggingface_hub finds it: {@code HF_HUB_CACHE}, else {@code HF_HOME/hub},
     * else {@code ~/.cache/huggingface/hub}.
     */
    public static Path defaultRoot(Map<String, String> env) {
        String hubCache = env.get("HF_HUB_CACHE");
        if (hubCache != null && !hubCache.isBlank()) {
            return Path.of(hubCache);
        }
        return hfHome(env).resolve("hub");
    }

    static Path hfHome(Map<String, String> env) {
        String home = env.get("HF_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("huggingface");
    }

    public Path root() {
        return root;
    }

    public Path repoDir(String repoId) {
        return root.resolve("datasets--" + repoId.replace("/", "--"));
    }

    public Path blob(String repoId, String etag) {
        return repoDir(repoId).resolve("blobs").resolve(etag);
    }

    public Path snapshotDir(String repoId, String commit) {
        return repoDir(repoId).resolve("snapshots").resolve(commit);
    }

    /** The commit a revision pointed to when last pulled; a commit id stands for itself. */
    public Optional<String> commitOf(String repoId, String revision) throws IOException {
        if (revision.matches("[0-9a-f]{40}")) {
            return Optional.of(revision);
        }
        Path ref = repoDir(repoId).resolve("refs").resolve(revision);
        return Files.isRegularFile(ref) ? Optional.of(Files.readString(ref, StandardCharsets.UTF_8).strip()) : Optional.empty();
    }

    /** Records what commit a branch or tag is now (commits need no ref). */
    public void writeRef(String repoId, String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repoDir(repoId).resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Path tmp = ref.resolveSibling(ref.getFileName() + ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** True when the snapshot already has {@code path} linked to an existing blob. */
    public boolean hasFile(String repoId, String commit, String path) {
        Path link = snapshotDir(repoId, commit).resolve(path);
        return Files.exists(link); // follows the link: a dangling one does not count
    }

    /** Links {@code snapshots/<commit>/<path>} to its blob with a relative symlink, as huggingface_hub does. */
    public Path link(String repoId, String commit, String path, String etag) throws IOException {
        Path link = snapshotDir(repoId, commit).resolve(path);
        Files.createDirectories(link.getParent());
        Path target = link.getParent().relativize(blob(repoId, etag));
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(link);
        }
        try {
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            // A file system without symlinks: a copy, as huggingface_hub falls back to.
            Files.copy(blob(repoId, etag), link, StandardCopyOption.REPLACE_EXISTING);
        }
        return link;
    }
}
