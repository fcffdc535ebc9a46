package io.troupe.cli;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import java.time.Duration;
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
    @Parameters(
            paramLabel = "RUN_ID",
            description = "The run id that 'troupe run' printed, or its start if no other run's id starts so.")
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

    @Option(
            names = "--export-otel",
            description = "Export the run's spans (with those of its child runs) over OTLP to --otel-endpoint or"
                    + " $OTEL_EXPORTER_OTLP_ENDPOINT instead of printing; times the journal does not hold are"
                    + " spread evenly and marked troupe.timing=reconstructed.")
    boolean exportOtel;

    @Mixin
    TelemetryOption telemetry = new TelemetryOption();

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((json ? 1 : 0) + (why != null ? 1 : 0) + (decisions ? 1 : 0) + (exportOtel ? 1 : 0) > 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--json, --why, --decisions and --export-otel are alternatives: give at most one of them");
        }
        try (Troupe troupe = journal.openForReading()) {
            runId = RunIds.resolve(runId, troupe::runs);
            Transcript transcript = troupe.replay(runId).toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (!transcript.exists()) {
                System.err.println("No run '" + runId + "' in the journal " + journal.describe()
                        + "; check the id, or pass the --journal the run used");
                return Main.USAGE;
            }
            if (exportOtel) {
                return export(troupe, transcript);
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

    /** Exports the run and its child runs (members that are teams) as spans. */
    private int export(Troupe troupe, Transcript transcript) throws Exception {
        io.troupe.telemetry.Telemetry traces = telemetry.open();
        if (traces == null) {
            System.err.println("--export-otel needs an OTLP endpoint: pass --otel-endpoint URL or set"
                    + " OTEL_EXPORTER_OTLP_ENDPOINT (such as http://localhost:4318)");
            return Main.USAGE;
        }
        try (traces) {
            traces.export(
                    transcript, io.troupe.telemetry.Telemetry.childRuns(troupe, transcript, Duration.ofSeconds(60)));
            if (!traces.flush(Duration.ofSeconds(10))) {
                System.err.println("error: run " + transcript.conversationId()
                        + " was not exported: the OTLP receiver at "
                        + telemetry.settings().endpoint() + " did not take its spans; check that it runs and listens"
                        + " there (OTLP over HTTP, usually port 4318)");
                return Main.UNAVAILABLE;
            }
        }
        System.out.println("Exported run " + transcript.conversationId() + " ("
                + transcript.events().size() + " events" + ") as trace "
                + io.troupe.telemetry.TraceIds.traceId(transcript.conversationId()));
        return Main.OK;
    }
}
