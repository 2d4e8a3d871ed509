package org.chatcorpus.battles.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.json.FastChatLogReader;

/**
 * Raw FastChat logs ({@code *-conv.json}, the Arena's own): the vote events become battles as
 * clean_battle_data.py makes them ({@link BattleLogCleaner}). All files are read together, since
 * battles are sorted by time across them. The counts of the last read are kept for the caller.
 */
final class FastChatVoteReader implements BattleReader {
    static final String FORMAT = "fastchat-log";
    private volatile BattleLogCleaner.Counts lastCounts;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        return FastChatLogReader.looksLikeLog(head); // the same files curate reads as conversations
    }

    @Override
    public void read(Path file, Consumer<Battle> sink, Quarantine quarantine) throws IOException {
        readAll(List.of(file), sink, quarantine);
    }

    @Override
    public void readAll(List<Path> files, Consumer<Battle> sink, Quarantine quarantine) throws IOException {
        BattleLogCleaner.Result r = BattleLogCleaner.withoutLanguage().clean(files, quarantine);
        lastCounts = r.counts();
        r.battles().forEach(sink);
    }

    BattleLogCleaner.Counts lastCounts() {
        return lastCounts;
    }
}
