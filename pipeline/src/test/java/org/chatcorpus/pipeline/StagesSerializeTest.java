package org.chatcorpus.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.testing.SharedData;
import org.chatcorpus.pipeline.moderation.ModerationTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stages travel to cluster workers by Java serialization with their configuration (as Spark ships
 * closures): every stage of the default pipeline, with the local moderation model, must survive a
 * round trip and then give exactly the same outcome on the same conversations.
 */
class StagesSerializeTest {
    @TempDir
    Path dir;

    @Test
    void everyStageSurvivesSerializationAndBehavesTheSame() throws Exception {
        Path model = dir.resolve("m.model");
        ModerationTrainer.train(List.of(SharedData.file("openai-moderation-dev.jsonl.gz")), 0.2, 1, Quarantine.counting()).model().save(model);
        PipelineConfig cfg = PipelineConfig.defaults().withOption("moderate", "provider", "local=" + model)
                .withOption("filter", "blockedWords", List.of("forbidden"))
                .withStageAfter("dedup", new PipelineConfig.StageSpec("near_dup", Map.of()));
        SyntheticCorpus corpus = new SyntheticCorpus(3);
        List<Conversation> sample = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sample.add(corpus.conversation(i));
        }
        int perConversation = 0;
        for (PipelineConfig.StageSpec spec : cfg.stages()) {
            Object stage = StageFactory.create(spec, cfg.seed(), dir);
            Object copy = roundTrip(stage);
            assertThat(copy).as(spec.name()).isInstanceOf(stage.getClass());
            if (stage instanceof Stage s) {
                Stage c = (Stage) copy;
                for (Conversation conv : sample) {
                    assertThat(c.process(conv)).as("%s on %s", spec.name(), conv.conversationId()).isEqualTo(s.process(conv));
                }
                perConversation++;
            } else {
                assertThat(((DatasetStage) copy).config()).isEqualTo(((DatasetStage) stage).config());
            }
        }
        assertThat(perConversation).isEqualTo(6); // validate, network_error, language, redact, filter, moderate; dedup, near_dup and sample are dataset stages
    }

    private static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
