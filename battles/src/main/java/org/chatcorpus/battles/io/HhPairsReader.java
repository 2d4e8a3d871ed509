package org.chatcorpus.battles.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.RecordException;
import org.chatcorpus.core.io.json.FirstRecordKeys;
import org.chatcorpus.core.io.json.HhTranscriptReader;

/**
 * Anthropic HH-RLHF ({@code {"chosen", "rejected"}} transcripts) as battles: real human
 * preferences. The chosen transcript wins; which side it sits on is a coin seeded by the seed and
 * the record's position, so A is not always the winner and a seed gives the same sides every time.
 * Both sides are "anthropic-hh" (the source names no models); question_id hashes file and line.
 */
final class HhPairsReader implements BattleReader {
    static final String FORMAT = "hh-pairs";
    static final String MODEL = "anthropic-hh";
    private final long seed;

    HhPairsReader(long seed) {
        this.seed = seed;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean sniff(Path file, byte[] head) {
        var keys = FirstRecordKeys.of(head);
        return keys.contains("chosen") && keys.contains("rejected");
    }

    @Override
    public void read(Path file, Consumer<Battle> sink, Quarantine quarantine) throws IOException {
        long[] index = {0};
        JsonRecords.read(file, (r, where, raw) -> {
            long i = ++index[0];
            List<BattleMessage> chosen = BattleMessage.of(HhTranscriptReader.split(ArenaRecords.requiredText(r, "chosen"), "chosen"));
            List<BattleMessage> rejected = BattleMessage.of(HhTranscriptReader.split(ArenaRecords.requiredText(r, "rejected"), "rejected"));
            if (chosen.isEmpty() || rejected.isEmpty()) {
                throw new RecordException("field `" + (chosen.isEmpty() ? "chosen" : "rejected") + "` has no messages");
            }
            boolean chosenIsA = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i).nextBoolean();
            List<BattleMessage> a = chosenIsA ? chosen : rejected;
            List<BattleMessage> b = chosenIsA ? rejected : chosen;
            long turn = a.stream().filter(BattleMessage::isUser).count();
            sink.accept(new Battle(derivedId(file, i), MODEL, MODEL, chosenIsA ? Winner.MODEL_A : Winner.MODEL_B, "", a, b,
                    turn, true, "", Double.NaN, Map.of()));
        }, quarantine);
    }

    static String derivedId(Path file, long index) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest((file.getFileName() + "#" + index).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
