package io.troupe.cli;

import io.troupe.api.event.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe replay RUN_ID}: prints a run's transcript from the journal. No model is built or called, and no
 * unfinished run resumes.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Prints the transcript of run RUN_ID from the journal, without calling any model.",
        footerHeading = "%nExamples:%n",
        footer = {"  troupe replay 6f1c2a…", "  troupe replay 6f1c2a… --journal ./troupe-data --json"})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_ID", description = "The run id that 'troupe run' printed.")
    @SuppressWarnings("NullAway.Init")
    String runId;

    @Option(names = "--json", description = "Print one JSON event per line instead of the transcript.")
    boolean json;

    @Mixin
    JournalOption journal = new JournalOption();

    @Override
    public Integer call() throws Exception {
        try (Troupe troupe = journal.openReadOnly()) {
            Transcript transcript = troupe.replay(runId).toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (!transcript.exists()) {
                System.err.println("No run '" + runId + "' in the journal " + journal.directory()
                        + "; check the id, or pass the --journal the run used");
                return Main.USAGE;
            }
            TranscriptPrinter printer = new TranscriptPrinter(System.out, json, false);
            for (JournalEvent event : transcript.events()) {
                printer.print(event);
            }
            printer.printSummary();
            Outcome outcome = printer.outcome();
            return outcome == null || outcome instanceof Outcome.Completed ? Main.OK : Main.RUN_FAILED;
        }
    }
}
