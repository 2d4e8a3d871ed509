package org.chatcorpus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code chatcorpus VERB [options]}. Each verb is one thin command class. */
@Command(name = "chatcorpus",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Collect, curate, measure and explore LLM chat corpora in the LMSYS-Chat-1M schema.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the run failed (a file could not be read or written, a port was busy, a config did not parse)",
                "2:usage: a wrong option, value, input path, format or tokenizer", "3:no data: nothing readable in the inputs"},
        subcommands = {
                CommandLine.HelpCommand.class,
                DemoCommand.class,
                StatsCommand.class,
                ReportCommand.class,
                GenerateCommand.class,
                CurateCommand.class,
                TrainModerationCommand.class,
                TrainNamesCommand.class,
                ModerationEvalCommand.class,
                SafetyCommand.class,
                SafetyBenchCommand.class,
                ServeCommand.class,
                ExploreCommand.class,
                ModelServerCommand.class,
                LeaderboardCommand.class,
                ArenaExportCommand.class,
                PullCommand.class,
                CompareCommand.class,
                MtBenchCommand.class,
                PseudoLabelCommand.class,
                HardPromptsCommand.class,
                InstructExportCommand.class,
                BattlesCommand.class,
                PairsCommand.class,
                PreferenceCommand.class,
        })
public final class ChatCorpus implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Read by ErrorHandler from the command line; declared here so every verb accepts it.
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, also print the stack trace (as CHATCORPUS_DEBUG=1 does).")
    boolean verbose;

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
        ErrorHandler errors = new ErrorHandler(System::getenv);
        return new CommandLine(new ChatCorpus()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors).execute(args);
    }
}
