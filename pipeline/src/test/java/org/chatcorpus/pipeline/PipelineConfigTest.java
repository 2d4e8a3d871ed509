package org.chatcorpus.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.chatcorpus.pipeline.stages.DedupStage;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {
    @Test
    void theDefaultProfileIsThe2023ChainInItsOrder() {
        // clean_chat_data (network error before the last-state pick, dedup by id, language) -> PII ->
        // filter_bad_conv (filter, then its --sample) -> final_post_processing (the writer) -> merge_oai_tag
        assertThat(PipelineConfig.defaults().stages()).extracting(PipelineConfig.StageSpec::name)
                .containsExactly("validate", "network_error", "dedup", "language", "redact", "filter", "sample", "moderate");
        assertThat(PipelineConfig.defaults().seed()).isEqualTo(42); // filter_bad_conv.py: random.seed(42)
    }

    @Test
    void theDefaultDedupHasNoHighFrequencyCap() throws Exception {
        Object dedup = StageFactory.create(new PipelineConfig.StageSpec("dedup", Map.of()), 42);
        assertThat(((DedupStage) dedup).highFrequency()).isEqualTo(DedupStage.OFF);
    }
}
