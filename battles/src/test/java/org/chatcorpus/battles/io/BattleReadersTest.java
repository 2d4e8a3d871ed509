package org.chatcorpus.battles.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatcorpus.battles.io.Fixtures.file;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.battles.Winner;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.QuarantinedRecord;
import org.chatcorpus.core.io.Readers;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BattleReadersTest {

    @Test
    void eachFormatIsDetectedFromItsContent(@TempDir Path dir) throws Exception {
        assertThat(BattleReaders.detect(file("clean_battle_20230425.json"), 0).format()).isEqualTo("clean-battle");
        assertThat(BattleReaders.detect(file("clean_battle_conv_20230425.json"), 0).format()).isEqualTo("clean-battle");
        assertThat(BattleReaders.detect(file("arena-33k.jsonl"), 0).format()).isEqualTo("arena-33k");
        assertThat(BattleReaders.detect(Fixtures.parquet("arena-33k.jsonl", 3, dir), 0).format()).isEqualTo("arena-33k");
        assertThat(BattleReaders.detect(file("arena-100k.jsonl"), 0).format()).isEqualTo("arena-100k");
        assertThat(BattleReaders.detect(Fixtures.parquet("arena-100k.jsonl", 2, dir), 0).format()).isEqualTo("arena-100k");
        assertThat(BattleReaders.detect(file("arena-140k.jsonl"), 0).format()).isEqualTo("arena-100k");
        assertThat(BattleReaders.detect(file("kaggle-train.csv"), 0).format()).isEqualTo("kaggle");
        assertThat(BattleReaders.detect(file("kaggle-test.csv"), 0).format()).isEqualTo("kaggle");
        assertThat(BattleReaders.detect(file("kaggle-train-quirks.csv"), 0).format()).isEqualTo("kaggle");
        assertThat(BattleReaders.detect(SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz"), 0).format()).isEqualTo("hh-pairs");
    }

    @Test
    void cleanBattleSimpleModeReadsTheIndentedArrayWithPythonNaNAndQuarantinesBadRecords() throws Exception {
        Fixtures.Read r = Fixtures.read(file("clean_battle_20230425.json"), "clean-battle");
        assertThat(r.battles()).extracting(Battle::modelA).containsExactly("vicuna-13b", "gpt-4", "koala-13b", "chatglm-6b");
        Battle named = r.battles().get(1);
        assertThat(named.anony()).isFalse();
        assertThat(named.winner()).isEqualTo(Winner.TIE_BOTHBAD);
        assertThat(named.language()).isEqualTo("Chinese");
        assertThat(named.turn()).isEqualTo(2);
        assertThat(named.conversationA()).isEmpty();
        assertThat(r.battles().get(2).tstamp()).isNaN();
        assertThat(r.battles().get(0).tstamp()).isEqualTo(1682351591.1322);
        assertThat(r.quarantine().records()).extracting(QuarantinedRecord::location).containsExactly("record 4", "record 5");
        assertThat(r.quarantine().records().get(0).reason()).contains("winner").contains("tie (both bad)");
        assertThat(r.quarantine().records().get(1).reason()).contains("model_b");
    }

    @Test
    void cleanBattleConvReleaseKeepsConversationsAndNullContent() throws Exception {
        Fixtures.Read r = Fixtures.read(file("clean_battle_conv_20230425.json"), "clean-battle");
        assertThat(r.quarantine().count()).isZero();
        Battle first = r.battles().get(0);
        assertThat(first.questionId()).isEqualTo("6a1e1a5d7c8b4a0e9f0d1c2b3a495867");
        assertThat(first.conversationA().get(0)).isEqualTo(BattleMessage.user("¿Qué es un \"agujero negro\"?"));
        assertThat(r.battles().get(1).conversationB().get(1).content()).isNull();
        assertThat(r.battles().get(1).turn()).isEqualTo(2);
    }

    @Test
    void arena33kJsonLinesKeepsModerationColumnsAndQuarantinesEachBadLineWithItsField() throws Exception {
        Fixtures.Read r = Fixtures.read(file("arena-33k.jsonl"), "arena-33k");
        assertThat(r.battles()).hasSize(3);
        Battle b = r.battles().get(0);
        assertThat(b.judge()).isEqualTo("arena_user_973");
        assertThat(b.winner()).isEqualTo(Winner.MODEL_B);
        assertThat(b.extra().keySet()).containsExactly("openai_moderation", "toxic_chat_tag");
        assertThat(b.conversationB().get(1).content()).isEqualTo("OpenCL and CUDA are both frameworks\nfor GPU computing.");
        assertThat(r.battles().get(2).anony()).isFalse();
        assertThat(r.quarantine().records()).extracting(QuarantinedRecord::location).containsExactly("line 4", "line 5", "line 6");
        assertThat(r.quarantine().records().get(0).reason()).startsWith("not valid JSON");
        assertThat(r.quarantine().records().get(1).reason()).contains("`winner`").contains("model_c");
        assertThat(r.quarantine().records().get(2).reason()).contains("`conversation_a`");
    }

    @Test
    void arena33kParquetGivesTheSameBattlesAsItsJsonLines(@TempDir Path dir) throws Exception {
        List<Battle> json = Fixtures.read(file("arena-33k.jsonl"), "arena-33k").battles();
        Fixtures.Read parquet = Fixtures.read(Fixtures.parquet("arena-33k.jsonl", 3, dir), "arena-33k");
        assertThat(parquet.quarantine().count()).isZero();
        assertThat(parquet.battles()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Battle p = parquet.battles().get(i);
            Battle j = json.get(i);
            // DuckDB stores 32-hex-digit ids as UUIDs; the reader gives them back in the canonical form.
            assertThat(p.questionId().replace("-", "")).isEqualTo(j.questionId());
            assertThat(p.withoutExtra().withQuestionId(j.questionId())).isEqualTo(j.withoutExtra());
            assertThat(p.extra().get("openai_moderation").get("flagged")).isEqualTo(j.extra().get("openai_moderation").get("flagged"));
            assertThat(p.extra().get("toxic_chat_tag").get("roberta-large").get("probability").asDouble())
                    .isEqualTo(j.extra().get("toxic_chat_tag").get("roberta-large").get("probability").asDouble());
        }
    }

    @Test
    void laterReleasesTakeJudgeHashBothBadTypedPartsAndTextTimestamps(@TempDir Path dir) throws Exception {
        Fixtures.Read r = Fixtures.read(file("arena-100k.jsonl"), "arena-100k");
        Battle b = r.battles().get(0);
        assertThat(b.judge()).isEqualTo("7f2b9a");
        assertThat(b.extra().keySet()).containsExactly("conv_metadata", "is_code", "is_refusal", "category_tag", "dedup_tag");
        assertThat(r.battles().get(1).winner()).isEqualTo(Winner.TIE_BOTHBAD);
        Fixtures.Read parquet = Fixtures.read(Fixtures.parquet("arena-100k.jsonl", 2, dir), "arena-100k");
        assertThat(parquet.battles()).extracting(Battle::withoutExtra).containsExactlyElementsOf(
                r.battles().stream().map(Battle::withoutExtra).toList());

        Battle x = Fixtures.read(file("arena-140k.jsonl"), "arena-100k").battles().get(0);
        assertThat(x.questionId()).isEqualTo("f00d0001-aaaa-4bbb-8ccc-000000000001");
        assertThat(x.winner()).isEqualTo(Winner.TIE_BOTHBAD);
        assertThat(x.conversationA()).containsExactly(BattleMessage.user("Summarise this"), BattleMessage.assistant("It says nothing."));
        assertThat(x.tstamp()).isEqualTo(1746100800.5);
        assertThat(x.turn()).isEqualTo(1);
    }

    @Test
    void kaggleTrainKeepsNullItemsUnequalListsAndEveryCharacter() throws Exception {
        Fixtures.Read r = Fixtures.read(file("kaggle-train.csv"), "kaggle");
        assertThat(r.quarantine().count()).isZero();
        assertThat(r.battles()).extracting(Battle::questionId).containsExactly("30192", "53567", "65089", "96401", "198779", "292873");
        assertThat(r.battles()).extracting(Battle::winner).containsExactly(Winner.MODEL_A, Winner.MODEL_B, Winner.TIE, Winner.TIE,
                Winner.MODEL_A, Winner.MODEL_B);
        Battle withNull = r.battles().get(2);
        assertThat(withNull.conversationA()).containsExactly(BattleMessage.user("hi"), BattleMessage.assistant("Hello! How can I help you today?"),
                BattleMessage.user("explain quantum computing"));
        assertThat(withNull.conversationB()).containsExactly(BattleMessage.user("hi"), BattleMessage.assistant("Hi there!"),
                BattleMessage.user("explain quantum computing"), BattleMessage.assistant(null));
        assertThat(r.battles().get(3).firstPrompt()).isEqualTo("Qu'est-ce que la crème brûlée ? 🍮 请用中文回答");
        assertThat(r.battles().get(4).conversationA().get(1).content()).isEqualTo("line one, still one\r\nline two\tand a tab");
        assertThat(r.battles().get(1).firstPrompt()).contains("\"marriage license\"").contains("\nExplain");
        Battle longer = r.battles().get(5);
        assertThat(BattleMessage.contents(longer.conversationA(), "assistant")).hasSize(2);
        assertThat(BattleMessage.contents(longer.conversationB(), "assistant")).hasSize(3);
        assertThat(longer.turn()).isEqualTo(3);
    }

    @Test
    void kaggleBadRowsAreQuarantinedWithTheirFieldAndTheRestRead() throws Exception {
        Fixtures.Read r = Fixtures.read(file("kaggle-train-bad-rows.csv"), "kaggle");
        assertThat(r.battles()).extracting(Battle::questionId).containsExactly("96401");
        List<String> reasons = r.quarantine().records().stream().map(QuarantinedRecord::reason).toList();
        assertThat(reasons).hasSize(4);
        assertThat(reasons.get(0)).contains("expected exactly one 1");
        assertThat(reasons.get(1)).contains("`response_a`").contains("not a JSON list");
        assertThat(reasons.get(2)).contains("`response_a[0]`");
        assertThat(reasons.get(3)).contains("4 fields");
        assertThat(r.quarantine().records().get(1).location()).isEqualTo("record 2 (line 3)");
    }

    @Test
    void kaggleQuirksBomQuotedHeaderCrLfAndRawLineBreaksInsideCells() throws Exception {
        Fixtures.Read r = Fixtures.read(file("kaggle-train-quirks.csv"), "kaggle");
        assertThat(r.quarantine().records()).isEmpty();
        assertThat(r.battles()).hasSize(2);
        assertThat(BattleMessage.contents(r.battles().get(0).conversationA(), "user")).containsExactly("first", "second");
        assertThat(BattleMessage.contents(r.battles().get(0).conversationB(), "assistant")).containsExactly(null, "b2");
        assertThat(r.battles().get(1).firstPrompt()).isEqualTo("raw\nbreak");
    }

    @Test
    void kaggleTestRowsAreUnlabeledWithoutModels() throws Exception {
        Fixtures.Read r = Fixtures.read(file("kaggle-test.csv"), "kaggle");
        assertThat(r.battles()).hasSize(3).allSatisfy(b -> {
            assertThat(b.labeled()).isFalse();
            assertThat(b.modelA()).isEmpty();
        });
        assertThat(r.battles().get(0).questionId()).isEqualTo("1030192");
    }

    @Test
    void hhPairsPutTheChosenSideOnASeededCoin() throws Exception {
        Path hh = SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz");
        List<Battle> seed0 = new ArrayList<>();
        BattleReaders.byName("hh-pairs", 0).read(hh, seed0::add, Quarantine.counting());
        List<Battle> again = new ArrayList<>();
        BattleReaders.byName("hh-pairs", 0).read(hh, again::add, Quarantine.counting());
        List<Battle> seed1 = new ArrayList<>();
        BattleReaders.byName("hh-pairs", 1).read(hh, seed1::add, Quarantine.counting());
        assertThat(seed0).hasSize(2312);
        long aWins = seed0.stream().filter(b -> b.winner() == Winner.MODEL_A).count();
        assertThat(aWins).isBetween(1056L, 1256L); // a fair coin: 1156 ± 4.2 sd
        assertThat(again).isEqualTo(seed0);
        assertThat(seed1).isNotEqualTo(seed0);
        Battle b = seed0.get(0);
        List<BattleMessage> chosen = b.winner() == Winner.MODEL_A ? b.conversationA() : b.conversationB();
        assertThat(chosen.get(0).isUser()).isTrue();
        assertThat(b.firstPrompt()).isEqualTo(chosen.get(0).content());
    }

    @Test
    void battleFilesReadAsTwoConversationsEachThroughCoreReaders() throws Exception {
        assertThat(Readers.detect(file("kaggle-train.csv")).format()).isEqualTo("kaggle");
        assertThat(Readers.detect(file("arena-33k.jsonl")).format()).isEqualTo("arena-33k");
        assertThat(Readers.detect(SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz")).format()).isEqualTo("hh");
        List<Conversation> sides = new DatasetReader(List.of(file("kaggle-train.csv").toString()), null).readAll(Quarantine.counting());
        assertThat(sides).hasSize(12);
        assertThat(sides.get(0).conversationId()).isEqualTo("30192-a");
        assertThat(sides.get(1).model()).isEqualTo("gpt-4-0613");
        assertThat(sides.get(5).conversation().get(3).content()).isEmpty(); // null item -> ""
        List<Conversation> hh = new DatasetReader(List.of(SharedData.file("hh-rlhf-harmless-base-test.jsonl.gz").toString()), "hh-pairs")
                .readAll(Quarantine.counting());
        assertThat(hh).hasSize(2 * 2312);
    }

    @Test
    void readingInputsGroupsFilesByDetectedFormat() throws Exception {
        var q = Quarantine.counting();
        BattleReaders.Loaded l = BattleReaders.read(Arrays.asList(file("kaggle-train.csv").toString(), file("arena-33k.jsonl").toString()),
                null, 0, q);
        assertThat(l.perFormat()).containsEntry("kaggle", 6L).containsEntry("arena-33k", 3L);
        assertThat(l.battles()).hasSize(9);
    }
}
