package org.chatcorpus.core.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens input files, transparently gunzipping ".gz" files or files that start with the gzip magic. */
public final class InputStreams {
    private InputStreams() {
    }

    public static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    /** The first {@code max} bytes of the (decompressed) file, for format sniffing. */
    public static byte[] head(Path file, int max) throws IOException {
        try (InputStream in = open(file)) {
            return in.readNBytes(max);
        }
    }
}
