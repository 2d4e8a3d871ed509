package org.chatcorpus.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who tagged a release, from its provenance.json, in the words the safety views show. */
class ModerationSourceTest {
    @TempDir
    Path tmp;

    private Path release(String name, String provenance) throws Exception {
        Path rel = tmp.resolve(name);
        Files.createDirectories(rel.resolve("data"));
        Files.writeString(rel.resolve("data/train-00000-of-00001.jsonl"), "{}\n");
        if (provenance != null) {
            Files.writeString(rel.resolve("provenance.json"), provenance);
        }
        return rel;
    }

    @Test
    void aLocalModelIsNamedWithItsMeasuredF1AndTrainingData() throws Exception {
        Path rel = release("local", "{\"tools\": {\"moderation\": \"local model m.model sha256=ab12: embedding model (all-MiniLM-L6-v2-q "
                + "+ logistic regression) trained on labeled.jsonl, more.jsonl; flagged F1 0.912 (5-fold)\"}}");
        ModerationSource s = ModerationSource.of(List.of(rel.toString()));
        assertThat(s.local()).isTrue();
        assertThat(s.label()).isEqualTo("moderation by local model m.model (flagged F1 0.912, 5-fold, trained on labeled.jsonl, more.jsonl)");
        // Found from the data files too (data/ is one folder below the provenance).
        assertThat(ModerationSource.of(List.of(rel.resolve("data/train-00000-of-00001.jsonl").toString())).label()).isEqualTo(s.label());
    }

    @Test
    void aRecordInAnotherWordingIsShownAsItIsNeverAsOpenAi() throws Exception {
        Path rel = release("odd", "{\"tools\": {\"moderation\": \"local model x.model\"}}");
        ModerationSource s = ModerationSource.of(List.of(rel.toString()));
        assertThat(s.local()).isTrue();
        assertThat(s.label()).isEqualTo("moderation by local model x.model");
    }

    @Test
    void openAiTagsAndTagsThatCameWithTheDataSayOpenAiModeration() throws Exception {
        Path api = release("api", "{\"tools\": {\"moderation\": \"OpenAI moderation endpoint https://api.openai.com/v1\"}}");
        assertThat(ModerationSource.of(List.of(api.toString()))).satisfies(s -> {
            assertThat(s.label()).isEqualTo("OpenAI moderation");
            assertThat(s.detail()).contains("api.openai.com");
            assertThat(s.local()).isFalse();
        });
        assertThat(ModerationSource.of(List.of(release("none", "{\"tools\": {}}").toString())).label()).isEqualTo("OpenAI moderation");
        assertThat(ModerationSource.of(List.of(release("bare", null).toString())).label()).isEqualTo("OpenAI moderation");
        assertThat(ModerationSource.of(List.of(release("broken", "{not json").toString())).label()).isEqualTo("OpenAI moderation");
    }

    @Test
    void inputsFromTwoSourcesShowBoth() throws Exception {
        Path a = release("a", "{\"tools\": {\"moderation\": \"OpenAI moderation endpoint https://api.openai.com/v1\"}}");
        Path b = release("b", "{\"tools\": {\"moderation\": \"local model m.model sha256=ab: n-gram model; flagged F1 0.8 (held-out 10 texts)\"}}");
        ModerationSource s = ModerationSource.of(List.of(a.toString(), b.toString()));
        assertThat(s.local()).isTrue();
        assertThat(s.label()).isEqualTo("OpenAI moderation; moderation by local model m.model (flagged F1 0.8, held-out 10 texts)");
    }
}
