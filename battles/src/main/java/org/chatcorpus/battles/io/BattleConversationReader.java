package org.chatcorpus.battles.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.chatcorpus.core.io.ConversationReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.Readers;
import org.chatcorpus.core.model.Conversation;

/**
 * A battle file read as conversations: each side is one conversation ({@code <question_id>-a} with
 * model_a, {@code -b} with model_b), so stats, report, explore and curate take battle files. Raw
 * FastChat logs are not offered here (core's fastchat-log reader already reads every state of
 * them), and HH pairs are only taken with {@code --format hh-pairs} (core's "hh" claims HH files).
 */
public final class BattleConversationReader implements ConversationReader {
    private final BattleReader battles;
    private final boolean detectable;

    BattleConversationReader(BattleReader battles, boolean detectable) {
        this.battles = battles;
        this.detectable = detectable;
    }

    @Override
    public String format() {
        return battles.format();
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        try {
            return detectable && battles.sniff(file, head);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void read(Path file, Consumer<Conversation> sink, Quarantine quarantine) throws IOException {
        battles.read(file, b -> {
            sink.accept(b.sideA());
            sink.accept(b.sideB());
        }, quarantine);
    }

    /** The ServiceLoader entry that registers these readers with core's {@link Readers}. */
    public static final class Extension implements Readers.Extension {
        @Override
        public List<ConversationReader> readers() {
            return List.of(new BattleConversationReader(new KaggleCsvReader(), true),
                    new BattleConversationReader(new ArenaReader(ArenaRecords.ARENA_33K), true),
                    new BattleConversationReader(new ArenaReader(ArenaRecords.ARENA_100K), true),
                    new BattleConversationReader(new ArenaReader(ArenaRecords.CLEAN_BATTLE), true),
                    new BattleConversationReader(new HhPairsReader(0), false));
        }
    }
}
