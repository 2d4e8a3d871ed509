package org.chatcorpus.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The chatcorpus version, for provenance records and {@code --version}. */
public final class ChatCorpusVersion {
    private static final String VERSION = load();

    private ChatCorpusVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ChatCorpusVersion.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
