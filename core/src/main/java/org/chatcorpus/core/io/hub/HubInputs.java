package org.chatcorpus.core.io.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns an {@code hf://datasets/OWNER/NAME[@REV][/PATH]} input into a local path: the cached
 * snapshot when the revision was pulled before, else a pull first (token and endpoint from the
 * environment, as {@code pull} takes them).
 */
public final class HubInputs {
    private HubInputs() {
    }

    public static Path resolve(String input) throws IOException {
        return resolve(HubUri.parse(input), System.getenv());
    }

    static Path resolve(HubUri uri, Map<String, String> env) throws IOException {
        HubCache cache = new HubCache(HubCache.defaultRoot(env));
        Path snapshot = cache.commitOf(uri.repoId(), uri.revision())
                .map(c -> cache.snapshotDir(uri.repoId(), c)).filter(Files::isDirectory).orElse(null);
        Path wanted = snapshot == null ? null : uri.path().isEmpty() ? snapshot : snapshot.resolve(uri.path());
        if (wanted == null || !Files.exists(wanted)) {
            System.err.println("chatcorpus: " + uri.repoId() + "@" + uri.revision() + " is not in the cache " + cache.root() + "; pulling it first");
            HubClient client = new HubClient(HubClient.endpoint(env), HubClient.token(null, env).orElse(null));
            List<String> include = uri.path().isEmpty() ? List.of() : List.of(uri.path(), uri.path() + "/**");
            snapshot = new HubPull(client, cache, 8).pull(uri.repoId(), uri.revision(), include).snapshot();
            wanted = uri.path().isEmpty() ? snapshot : snapshot.resolve(uri.path());
        }
        return wanted;
    }
}
