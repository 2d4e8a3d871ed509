package org.chatcorpus.server.arena.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The line reader under the model client's event streams: line ends as server-sent events allow,
 * pieces as the network delivers them, and "has more arrived?" as the delta batching asks it.
 */
class ModelHttpLineReaderTest {

    @Test
    void linesEndInLfCrLfOrCr() throws IOException {
        assertThat(lines(reader(8, "a\nb\r\nc\rd"))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aCrLfSplitAcrossReadsIsOneLineEnd() throws IOException {
        assertThat(lines(reader(8, "a\r", "\nb\r", "\n", "\r\nc"))).containsExactly("a", "b", "", "c");
    }

    @Test
    void aCharacterSplitAcrossReadsDecodesWhole() throws IOException {
        byte[] bytes = "é🌍\n".getBytes(StandardCharsets.UTF_8);
        List<byte[]> pieces = new ArrayList<>();
        for (byte b : bytes) {
            pieces.add(new byte[] {b});
        }
        assertThat(lines(new LineReader(new Pieces(pieces), 64))).containsExactly("é🌍");
    }

    @Test
    void readyTellsWhetherMoreHasArrived() throws IOException {
        LineReader r = reader(64, "one\ntwo\n", "three\n");
        assertThat(r.readLine()).isEqualTo("one");
        assertThat(r.ready()).isTrue(); // "two" is buffered
        assertThat(r.readLine()).isEqualTo("two");
        assertThat(r.ready()).isFalse(); // "three" has not arrived
        assertThat(r.readLine()).isEqualTo("three");
        assertThat(r.readLine()).isNull();
    }

    @Test
    void theLfOfACrLfThatArrivesLateIsNotMoreToRead() throws IOException {
        Pieces in = new Pieces(bytes("a\r", "\n"));
        LineReader r = new LineReader(in, 64);
        assertThat(r.readLine()).isEqualTo("a");
        in.arrive(); // the LF is now available, and nothing else
        assertThat(r.ready()).isFalse();
        assertThat(r.readLine()).isNull();
    }

    @Test
    void theLastLineNeedsNoLineEnd() throws IOException {
        assertThat(lines(reader(8, "data: x"))).containsExactly("data: x");
        assertThat(lines(reader(8, ""))).isEmpty();
    }

    @Test
    void linesUpToTheCapAreRead() throws IOException {
        String atCap = "x".repeat(16);
        assertThat(lines(reader(16, atCap + "\n", atCap.substring(0, 5), atCap.substring(5) + "\n"))).containsExactly(atCap, atCap);
    }

    @Test
    void aLineOverTheCapIsRefused() {
        String overCap = "x".repeat(17);
        assertThatThrownBy(() -> lines(reader(16, overCap + "\n"))).isInstanceOf(LineReader.LineTooLongException.class)
                .hasMessage("a line longer than 16 bytes");
        assertThatThrownBy(() -> lines(reader(16, overCap.substring(0, 9), overCap.substring(9)))).isInstanceOf(LineReader.LineTooLongException.class);
    }

    @Test
    void aLineThatNeverEndsIsRefusedOnceItPassesTheCap() {
        InputStream endlessX = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        assertThatThrownBy(() -> new LineReader(endlessX, 100_000).readLine()).isInstanceOf(LineReader.LineTooLongException.class);
    }

    private static LineReader reader(int maxLineBytes, String... pieces) {
        Pieces in = new Pieces(bytes(pieces));
        return new LineReader(in, maxLineBytes);
    }

    private static List<byte[]> bytes(String... pieces) {
        return Arrays.stream(pieces).map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static List<String> lines(LineReader r) throws IOException {
        List<String> out = new ArrayList<>();
        String line;
        while ((line = r.readLine()) != null) {
            out.add(line);
        }
        return out;
    }

    /**
     * A stream that delivers its pieces one per read, as network reads do; {@link #available()}
     * counts only the current piece unless {@link #arrive()} has been called.
     */
    private static final class Pieces extends InputStream {
        private final Deque<byte[]> pieces;
        private byte[] current = new byte[0];
        private int pos;

        Pieces(List<byte[]> pieces) {
            this.pieces = new ArrayDeque<>(pieces);
        }

        /** Makes the next piece the current one, so that it counts as available. */
        void arrive() {
            if (pos == current.length && !pieces.isEmpty()) {
                current = pieces.poll();
                pos = 0;
            }
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the reader reads in blocks");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            arrive();
            if (pos == current.length) {
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return current.length - pos;
        }
    }
}
