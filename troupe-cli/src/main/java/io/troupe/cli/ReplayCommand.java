package io.troupe.cli;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe replay RUN_ID}: prints a run's transcript from the journal, or with {@code --why AGENT} the decisions
 * that chose an agent, or with {@code --decisions} every decision and the ledger. No model is built or called, and no
 * unfinished run resumes.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Prints the transcript of run RUN_ID from the journal, without calling any model.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  troupe replay 6f1c2a…",
            "  troupe replay 6f1c2a… --journal ./troupe-data --json",
            "  troupe replay 6f1c2a… --why writer",
            "  troupe replay 6f1c2a… --decisions"
        })
final class ReplayCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_ID", description = "The run id that 'troupe run' printed.")
    @SuppressWarnings("NullAway.Init")
    String runId;

    @Option(names = "--json", description = "Print one JSON event per line instead of the transcript.")
    boolean json;

    @Option(
            names = "--why",
            paramLabel = "AGENT",
            description = "Explain every decision that chose AGENT (an award, a vote, a speaker, a handoff...)"
                    + " instead of printing the transcript; exits 1 if none did.")
    @Nullable
    String why;

    @Option(
            names = "--decisions",
            description = "Print every decision of the run and its ledger instead of the transcript.")
    boolean decisions;

    @Mixin
    JournalOption journal = new JournalOption();

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((json ? 1 : 0) + (why != null ? 1 : 0) + (decisions ? 1 : 0) > 1) {
            throw new ParameterException(
                    spec.commandLine(), "--json, --why and --decisions are alternatives: give at most one of them");
        }
        try (Troupe troupe = journal.openReadOnly()) {
            Transcript transcript = troupe.replay(runId).toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (!transcript.exists()) {
                System.err.println("No run '" + runId + "' in the journal " + journal.directory()
                        + "; check the id, or pass the --journal the run used");
                return Main.USAGE;
            }
            if (why != null) {
                return DecisionReport.why(transcript, why, System.out, System.err);
            }
            if (decisions) {
                DecisionReport.decisions(transcript, System.out);
                return Main.OK;
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
