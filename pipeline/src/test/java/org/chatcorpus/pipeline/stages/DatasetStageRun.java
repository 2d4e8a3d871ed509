package org.chatcorpus.pipeline.stages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.pipeline.DatasetStage;
import org.chatcorpus.pipeline.StageCounts;
import org.chatcorpus.pipeline.StageOutcome;

/** Runs a whole-dataset stage over an in-memory list, as the runner does over a spill file. */
final class DatasetStageRun {
    private DatasetStageRun() {
    }

    static List<Conversation> run(DatasetStage stage, List<Conversation> input, StageCounts counts) throws IOException {
        List<Conversation> out = new ArrayList<>();
        stage.run(() -> DatasetStage.Pass.over(input), new DatasetStage.Outcomes() {
            @Override
            public void keep(Conversation c) {
                counts.record(StageOutcome.keep(c));
                out.add(c);
            }

            @Override
            public void change(Conversation c) {
                counts.record(StageOutcome.change(c));
                out.add(c);
            }

            @Override
            public void drop(Conversation c, String reason) {
                counts.record(StageOutcome.drop(reason));
            }
        });
        return out;
    }
}
