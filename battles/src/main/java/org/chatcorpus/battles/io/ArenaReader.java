package org.chatcorpus.battles.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.function.Consumer;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.json.FirstRecordKeys;

/**
 * The Arena battle layouts (clean-battle, arena-33k, arena-100k; see {@link ArenaRecords}) from a
 * JSON array, JSON lines or Parquet. One instance per format name, so that detection can tell the
 * user which release a file is; the mapping is shared.
 */
final class ArenaReader implements BattleReader {
    private final String format;

    ArenaReader(String format) {
        this.format = format;
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        boolean parquet = ParquetRecords.isParquet(head);
        Collection<String> keys = parquet ? ParquetRecords.columns(file) : FirstRecordKeys.of(head);
        ArenaRecords.Container container = parquet ? ArenaRecords.Container.PARQUET
                : firstNonSpace(head) == '[' ? ArenaRecords.Container.JSON_ARRAY : ArenaRecords.Container.JSON_LINES;
        return ArenaRecords.isBattle(keys) && ArenaRecords.layoutOf(keys, container).equals(format);
    }

    private static int firstNonSpace(byte[] head) {
        for (byte b : head) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && (b & 0xFF) != 0xEF && (b & 0xFF) != 0xBB && (b & 0xFF) != 0xBF) {
                return b;
            }
        }
        return -1;
    }

    @Override
    public void read(Path file, Consumer<Battle> sink, Quarantine quarantine) throws IOException {
        JsonRecords.Sink mapped = (record, where, raw) -> sink.accept(ArenaRecords.map(record));
        if (ParquetRecords.isParquet(org.chatcorpus.core.io.InputStreams.head(file, 4))) {
            ParquetRecords.read(file, mapped, quarantine);
        } else {
            JsonRecords.read(file, mapped, quarantine);
        }
    }
}
