package org.chatcorpus.core.io.hub;

/**
 * A dataset on the Hugging Face Hub as every verb accepts it: {@code hf://datasets/OWNER/NAME[@REV][/PATH]}
 * (the form pandas, DuckDB and huggingface_hub's file system use).
 *
 * @param repoId   "OWNER/NAME"
 * @param revision a branch, tag or commit ("main" when not given)
 * @param path     a file or folder inside the repository, or "" for all of it
 */
public record HubUri(String repoId, String revision, String path) {
    public static final String SCHEME = "hf://";
    private static final String DATASETS = SCHEME + "datasets/";

    public static boolean isHubUri(String input) {
        return input != null && input.startsWith(SCHEME);
    }

    /** @throws IllegalArgumentException naming the expected shape */
    public static HubUri parse(String uri) {
        if (!uri.startsWith(DATASETS)) {
            throw new IllegalArgumentException("'" + uri + "': only datasets are supported, as hf://datasets/OWNER/NAME[@REV][/PATH]");
        }
        String rest = uri.substring(DATASETS.length());
        String[] parts = rest.split("/", 3);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("'" + uri + "' should be hf://datasets/OWNER/NAME[@REV][/PATH]");
        }
        String name = parts[1];
        String revision = "main";
        int at = name.indexOf('@');
        if (at >= 0) {
            revision = name.substring(at + 1);
            name = name.substring(0, at);
            if (revision.isEmpty() || name.isEmpty()) {
                throw new IllegalArgumentException("'" + uri + "': the revision after '@' is empty");
            }
        }
        return new HubUri(parts[0] + "/" + name, revision, parts.length == 3 ? parts[2] : "");
    }
}
