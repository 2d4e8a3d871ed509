package org.chatcorpus.core.io.hub;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.chatcorpus.core.progress.Progress;

/**
 * Downloads a dataset repository (or the files matching some globs) into the shared cache, as
 * huggingface_hub's snapshot_download does: files in parallel under one progress bar, a cut
 * connection resumed from where it stopped, every LFS file's sha256 checked, and nothing fetched
 * again that the snapshot already holds. The result is the snapshot folder.
 */
public final class HubPull {
    /** Attempts per file when the connection is cut (each resumes from the bytes already on disk). */
    private static final int ATTEMPTS = 5;

    /** What a pull did. */
    public record Result(Path snapshot, String commit, int files, int downloaded, long bytes) {
    }

    private final HubClient client;
    private final HubCache cache;
    private final int threads;

    public HubPull(HubClient client, HubCache cache, int threads) {
        this.client = client;
        this.cache = cache;
        this.threads = Math.max(1, threads);
    }

    public Result pull(String repoId, String revision, List<String> includes) throws IOException {
        List<HubClient.RepoFile> files = selected(client.listFiles(repoId, revision), includes);
        if (files.isEmpty()) {
            throw new HubException(repoId + "@" + revision + ": no file matches " + (includes.isEmpty() ? "(the repository is empty)" : String.join(", ", includes)));
        }
        // One HEAD tells the revision's current commit; a snapshot of it that has a file needs nothing more for that file.
        String commit = client.meta(repoId, revision, files.get(0).path()).commit();
        List<HubClient.RepoFile> missing = files.stream().filter(f -> !cache.hasFile(repoId, commit, f.path())).toList();
        long total = missing.stream().mapToLong(HubClient.RepoFile::size).sum();
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, missing.size())));
        try (Progress progress = Progress.start("pull " + repoId, total)) {
            List<Future<Void>> done = new ArrayList<>();
            for (HubClient.RepoFile f : missing) {
                done.add(pool.submit(() -> {
                    fetch(repoId, commit, f, n -> {
                        bytes.addAndGet(n);
                        progress.advance(n);
                    });
                    return null;
                }));
            }
            // Every download runs to its end even when another failed: what finished is kept for the
            // next pull, and nothing is still writing into the cache when this returns.
            IOException first = null;
            for (Future<Void> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof IOException io ? io : new HubException(String.valueOf(e.getCause()), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HubException("interrupted", e);
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
        cache.writeRef(repoId, revision, commit);
        return new Result(cache.snapshotDir(repoId, commit), commit, files.size(), missing.size(), bytes.get());
    }

    private void fetch(String repoId, String commit, HubClient.RepoFile file, java.util.function.LongConsumer onBytes) throws IOException {
        // Ask by commit, not branch: every file of one pull comes from the same commit.
        HubClient.FileMeta meta = client.meta(repoId, commit, file.path());
        Path blob = cache.blob(repoId, meta.etag());
        if (!Files.exists(blob)) {
            Files.createDirectories(blob.getParent());
            Path partial = blob.resolveSibling(meta.etag() + ".incomplete");
            IOException last = null;
            String sha = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    sha = client.download(repoId, file.path(), meta.location(), partial, onBytes);
                    last = null;
                    break;
                } catch (HubException e) {
                    throw e; // an HTTP answer, not a cut connection: trying again will not help
                } catch (IOException e) {
                    last = e; // cut mid-file: the next attempt resumes from what is on disk
                }
            }
            if (last != null) {
                throw new HubException(repoId + "/" + file.path() + ": download kept failing (" + last.getMessage()
                        + "); run pull again to resume", last);
            }
            long size = Files.size(partial);
            if (meta.size() >= 0 && size != meta.size()) {
                throw new HubException(repoId + "/" + file.path() + ": got " + size + " bytes, the Hub said " + meta.size() + "; run pull again to resume");
            }
            if (meta.isLfs()) {
                if (!sha.equals(meta.etag())) {
                    Files.delete(partial);
                    throw new HubException(repoId + "/" + file.path() + ": sha256 " + sha + " does not match the Hub's " + meta.etag()
                            + "; the damaged download was removed, run pull again");
                }
            }
            Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE);
        }
        cache.link(repoId, commit, file.path(), meta.etag());
    }

    static List<HubClient.RepoFile> selected(List<HubClient.RepoFile> files, List<String> includes) {
        if (includes == null || includes.isEmpty()) {
            return files;
        }
        List<PathMatcher> matchers = includes.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        return files.stream().filter(f -> matchers.stream().anyMatch(m -> m.matches(Path.of(f.path())))).toList();
    }
}
