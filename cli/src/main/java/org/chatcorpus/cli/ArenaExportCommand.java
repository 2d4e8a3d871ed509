package org.chatcorpus.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.io.BattleLogCleaner;
import org.chatcorpus.battles.io.BattleWriters;
import org.chatcorpus.battles.rating.Arena33kRelease;
import org.chatcorpus.pipeline.language.FastTextLanguageId;
import org.chatcorpus.pipeline.language.LanguageStage;
import org.chatcorpus.pipeline.moderation.ModerationStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "arena-export", mixinStandardHelpOptions = true,
        description = {"Export battles from FastChat vote logs as human-preference data:",
                "OUT/arena-conversations.jsonl (Chatbot Arena conversations layout, with language, openai_moderation and "
                        + "toxic_chat_tag as lmsys/chatbot_arena_conversations has them) and",
                "OUT/human-preference.csv (Kaggle layout: id, model_a, model_b, prompt, response_a, response_b, "
                        + "winner_model_a, winner_model_b, winner_tie)."},
        footer = {"", "Example:", "  chatcorpus arena-export ~/.local/share/chatcorpus/arena/logs --out export/"})
final class ArenaExportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "LOGS", description = "FastChat log files or directories.")
    List<String> logs;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--all", description = "Include named (side-by-side) battles, not only anonymous ones.")
    boolean all;

    @Option(names = "--moderation", defaultValue = "none",
            description = "openai | local=MODEL_FILE | none: tag openai_moderation on conversation_a's prompts, as tag_openai_moderation.py.")
    String moderation;

    @Option(names = "--toxic-chat-tags", paramLabel = "FILE",
            description = "[{question_id, toxic_chat}] merged as toxic_chat_tag, as arena_33k/merge_field.py.")
    Path toxicChatTags;

    @Override
    public Integer call() throws Exception {
        // Language of the first prompt, as clean_battle_data.py's detect_language.
        BattleLogCleaner cleaner = new BattleLogCleaner(java.util.Set.of(),
                text -> FastTextLanguageId.detect(text, LanguageStage.DEFAULT_MIN_CONFIDENCE));
        List<Battle> battles = cleaner.clean(Inputs.jsonLogs(logs, "arena-export"), Quarantine.counting()).battles();
        int named = battles.size();
        if (!all) {
            battles = battles.stream().filter(Battle::anony).toList();
        }
        if (battles.isEmpty()) {
            throw new UserError(ExitCode.NO_DATA, "found no " + (all ? "" : "anonymous ") + "battles with votes in " + String.join(" ", logs),
                    named > 0 ? "add --all to export the " + named + " named (side-by-side) battles" : "votes are logged when a visitor votes in the Arena");
        }
        var moderator = ModerationStage.textModerator(moderation);
        var tags = toxicChatTags == null ? null : Arena33kRelease.readToxicChatTags(toxicChatTags);
        if (moderator != null || tags != null) {
            battles = battles.stream().map(b -> {
                Battle t = moderator == null ? b : b.withModeration(moderator.apply(b.userPromptsA()));
                return tags == null || !tags.containsKey(b.questionId()) ? t : t.withToxicChatTag(tags.get(b.questionId()));
            }).toList();
        }
        Files.createDirectories(out);
        BattleWriters.write(battles.stream().map(Battle::withArena33kColumns).toList(), "arena-33k", out.resolve("arena-conversations.jsonl"));
        BattleWriters.write(battles, "kaggle", out.resolve("human-preference.csv"));
        System.out.println("exported " + battles.size() + " battles to " + out);
        return 0;
    }
}
