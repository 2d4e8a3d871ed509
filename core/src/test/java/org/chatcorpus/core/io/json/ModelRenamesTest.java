package org.chatcorpus.core.io.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelRenamesTest {
    @Test
    void releaseRenamesAreTheFourSubstringReplacementsOfTheReleaseCommit() {
        assertThat(ModelRenames.release2023("bard")).isEqualTo("palm-2");
        assertThat(ModelRenames.release2023("claude-v1")).isEqualTo("claude-1");
        assertThat(ModelRenames.release2023("claude-instant-v1")).isEqualTo("claude-instant-1");
        assertThat(ModelRenames.release2023("oasst-sft-1-pythia-12b")).isEqualTo("oasst-pythia-12b");
        // str.replace works inside names, as the seed's did
        assertThat(ModelRenames.release2023("bard-beta")).isEqualTo("palm-2-beta");
    }

    @Test
    void releaseKeepsGptAndClaude2NamesAsLogged() {
        assertThat(ModelRenames.release2023("gpt-4")).isEqualTo("gpt-4");
        assertThat(ModelRenames.release2023("gpt-3.5-turbo")).isEqualTo("gpt-3.5-turbo");
        assertThat(ModelRenames.release2023("claude-2")).isEqualTo("claude-2");
    }

    @Test
    void currentRenamesGptSnapshotsByDateAndWholeNamesOnly() {
        assertThat(ModelRenames.current("gpt-4", 1687849200)).isEqualTo("gpt-4-0314");
        assertThat(ModelRenames.current("gpt-4", 1687849201)).isEqualTo("gpt-4-0613");
        assertThat(ModelRenames.current("claude-2", 0)).isEqualTo("claude-2.0");
        assertThat(ModelRenames.current("bard-beta", 0)).isEqualTo("bard-beta");
    }
}
