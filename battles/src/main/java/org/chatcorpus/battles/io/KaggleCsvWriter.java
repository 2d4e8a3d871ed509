package org.chatcorpus.battles.io;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.core.model.Message;

/**
 * Writes battles as the Kaggle competition's CSV, in the competition file's own style (pandas
 * {@code to_csv}: Python's csv module with QUOTE_MINIMAL and "\n" line ends; cells by
 * {@link KaggleCells}). Labeled battles give the train layout; when any battle has no label the
 * file is the unlabeled layout {@code id,model_a,model_b,prompt,response_a,response_b} (the test
 * layout plus the models). Both ties count as winner_tie, as the competition does.
 *
 * <p>The quoting is written here rather than by Commons CSV: its minimal mode also quotes a field
 * that starts with a space, '!' or '#' or ends with a space, which pandas does not, and then a file
 * in the competition's style would not come back byte for byte.
 */
public final class KaggleCsvWriter implements AutoCloseable {
    public static final String TRAIN_HEADER = "id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie";
    public static final String UNLABELED_HEADER = "id,model_a,model_b,prompt,response_a,response_b";

    private final Writer out;
    private final boolean labeled;

    public KaggleCsvWriter(Writer out, boolean labeled) throws IOException {
        this.out = out;
        this.labeled = labeled;
        out.write(labeled ? TRAIN_HEADER : UNLABELED_HEADER);
        out.write('\n');
    }

    public void write(Battle b) throws IOException {
        List<String> fields = new ArrayList<>(9);
        fields.add(idOf(b));
        fields.add(b.modelA());
        fields.add(b.modelB());
        fields.add(KaggleCells.format(BattleMessage.contents(b.conversationA(), Message.USER)));
        fields.add(KaggleCells.format(BattleMessage.contents(b.conversationA(), Message.ASSISTANT)));
        fields.add(KaggleCells.format(BattleMessage.contents(b.conversationB(), Message.ASSISTANT)));
        if (labeled) {
            Winner w = b.winner();
            fields.add(w == Winner.MODEL_A ? "1" : "0");
            fields.add(w == Winner.MODEL_B ? "1" : "0");
            fields.add(w != null && w.isTie() ? "1" : "0");
        }
        row(out, fields);
    }

    /** The battle's id when it is an integer (Kaggle's own ids), else a stable id from its content. */
    public static String idOf(Battle b) {
        String q = b.questionId();
        if (!q.isEmpty() && q.chars().allMatch(Character::isDigit)) {
            return q;
        }
        return Long.toString(stableId(b));
    }

    /** A non-negative id derived from the battle's question id, time and models, stable across exports. */
    static long stableId(Battle b) {
        long h = 1125899906842597L;
        String key = b.questionId() + "|" + b.tstamp() + "|" + b.modelA() + "|" + b.modelB();
        for (int i = 0; i < key.length(); i++) {
            h = 31 * h + key.charAt(i);
        }
        return h & Long.MAX_VALUE;
    }

    /** Python csv QUOTE_MINIMAL: a field with a comma, quote, CR or LF is quoted, quotes doubled. */
    static void row(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String f = fields.get(i);
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                out.write('"');
                out.write(f.replace("\"", "\"\""));
                out.write('"');
            } else {
                out.write(f);
            }
        }
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
