package org.chatcorpus.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.parquet.ParquetConversationReader;
import org.chatcorpus.core.model.Conversation;

/** Executor-side reading of a part for the key passes of whole-dataset stages: only the columns they need. */
final class Keys implements Serializable {
    private static final long serialVersionUID = 1L;

    private Keys() {
    }

    /** Reads a part's conversations (only {@code columns}), with their indexes. */
    static void read(Storage storage, Source src, Set<String> columns, IndexedConsumer sink) throws IOException {
        Path tmp = Files.createTempDirectory("chatcorpus-keys-");
        try {
            Path local = storage.local(src.part().location(), tmp);
            long[] i = {src.offset()};
            Consumer<Conversation> each = c -> sink.accept(i[0]++, c);
            ParquetConversationReader.projected(columns).read(local, each, Quarantine.counting());
        } finally {
            Storage.deleteLocal(tmp);
        }
    }

    interface IndexedConsumer {
        void accept(long index, Conversation c);
    }

    /** A sorted set of indexes, compact to ship to every task. */
    record IndexSet(long[] sorted) implements Serializable {
        static IndexSet of(List<Long> values) {
            long[] a = values.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(a);
            return new IndexSet(a);
        }

        static IndexSet empty() {
            return new IndexSet(new long[0]);
        }

        boolean contains(long i) {
            return Arrays.binarySearch(sorted, i) >= 0;
        }

        int size() {
            return sorted.length;
        }
    }

    static <T> List<T> list(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }
}
