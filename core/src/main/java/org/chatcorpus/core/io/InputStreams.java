package org.chatcorpus.core.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens input files, transparently gunzipping ".gz" files or files that start with the gzip magic.
 * A gzip stream that is cut short or corrupt fails with a {@link DamagedInputException} naming the
 * file and how far it was readable, so readers can keep what came before and quarantine the rest.
 */
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
            return new BufferedInputStream(new GzipGuard(file, in), 1 << 16);
        }
        return in;
    }

    /** The first {@code max} bytes of the (decompressed) file, for format sniffing; what is readable of a damaged file. */
    public static byte[] head(Path file, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = open(file)) {
            byte[] buf = new byte[8192];
            int n;
            while (out.size() < max && (n = in.read(buf, 0, Math.min(buf.length, max - out.size()))) > 0) {
                out.write(buf, 0, n);
            }
        } catch (DamagedInputException e) {
            // sniff what could be read; the reader reports the damage
        }
        return out.toByteArray();
    }

    /** Turns the JDK's EOFException / ZipException from a damaged gzip into a message naming the file. */
    private static final class GzipGuard extends FilterInputStream {
        private final Path file;
        private long delivered;

        GzipGuard(Path file, InputStream compressed) throws IOException {
            super(open(file, compressed));
            this.file = file;
        }

        private static InputStream open(Path file, InputStream compressed) throws IOException {
            try {
                return new GZIPInputStream(compressed, 1 << 16);
            } catch (EOFException | ZipException e) {
                throw damaged(file, 0, e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                if (n > 0) {
                    delivered += n;
                }
                return n;
            } catch (EOFException | ZipException e) {
                throw damaged(file, delivered, e);
            }
        }

        private static DamagedInputException damaged(Path file, long delivered, IOException e) {
            String what = e instanceof EOFException ? "gzip data ends early (file truncated?)" : "gzip data is corrupt (" + e.getMessage() + ")";
            return new DamagedInputException(file + ": " + what + " after " + delivered + " decompressed bytes", e);
        }
    }
}
