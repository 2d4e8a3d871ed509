package org.chatcorpus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code chatcorpus VERB [options]}. Each verb is one thin command class. */
@Command(name = "chatcorpus",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Collect, curate, measure and explore LLM chat corpora in the LMSYS-Chat-1M schema.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DemoCommand.class,
                StatsCommand.class,
                ReportCommand.class,
                GenerateCommand.class,
                CurateCommand.class,
                TrainModerationCommand.class,
                ServeCommand.class,
                ExploreCommand.class,
                ModelServerCommand.class,
                LeaderboardCommand.class,
                ArenaExportCommand.class,
                BattlesCommand.class,
                PairsCommand.class,
                PreferenceCommand.class,
        })
public final class ChatCorpus implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // DJL (the embedding model's tokenizer) warns on every start that it found no CUDA driver: CPU is what we use.
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl", System.getProperty("org.slf4j.simpleLogger.log.ai.djl", "error"));
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (used by tests, which must not exit the JVM). */
    public static int execute(String... args) {
        return new CommandLine(new ChatCorpus()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
