package io.troupe.cli;

import io.troupe.api.TroupeException;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecException;
import io.troupe.config.SpecSource;
import io.troupe.guard.Guard;
import io.troupe.launch.SpecGuard;
import io.troupe.launch.SpecModels;
import io.troupe.launch.SpecTools;
import io.troupe.runtime.TroupeRuntime;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe resume}: finishes runs that a {@code troupe run} left unfinished (a crash, a kill, a closed terminal).
 * Each run's spec is read back from the journal, its models and tools are built again, and the run goes on from its
 * last journaled step: no completed call is made twice. The command shows each run's output from where it stopped and
 * exits when the runs end.
 */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description = "Finishes unfinished runs started by 'troupe run', from their last journaled step: after a crash,"
                + " or after a person approved or denied what a run waits for ('troupe approvals').",
        footerHeading = "%nExamples:%n",
        footer = {"  troupe resume 2f1c…", "  troupe resume --all", "  troupe resume --all --journal ./troupe-data"})
final class ResumeCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "RUN_ID",
            arity = "0..*",
            description = "The runs to resume (see 'troupe runs'): ids, or their starts.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", description = "Resume every unfinished run whose spec is in the journal.")
    boolean all;

    @Option(names = "--json", description = "Print one JSON event per line instead of the transcript.")
    boolean json;

    @Option(
            names = "--quiet",
            description = "Print only each run's result (after a line 'run RUN_ID:' when more than one resumes).")
    boolean quiet;

    @Mixin
    JournalOption journal = new JournalOption();

    @Mixin
    AuditDirOption auditDir = new AuditDirOption();

    @Mixin
    TelemetryOption telemetry = new TelemetryOption();

    @Override
    public Integer call() {
        if (all == !ids.isEmpty()) {
            System.err.println("error: name the runs to resume, or pass --all (not both); 'troupe runs' lists them");
            return Main.USAGE;
        }
        List<RunSummary> runs;
        try (Troupe reader = journal.openReadOnly()) {
            runs = reader.runs();
        } catch (TroupeException e) {
            System.err.println("error: " + Main.describe(e));
            return Main.exitCode(e);
        }
        List<RunSummary> chosen = new ArrayList<>();
        for (String given : ids) {
            String id;
            try {
                id = RunIds.resolve(given, () -> runs);
            } catch (TroupeException e) {
                System.err.println("error: " + Main.describe(e));
                return Main.USAGE;
            }
            Optional<RunSummary> run =
                    runs.stream().filter(r -> r.conversationId().equals(id)).findFirst();
            if (run.isEmpty()) {
                System.err.println("error: there is no run '" + id + "' in the journal " + journal.directory()
                        + "; 'troupe runs' lists the runs");
                return Main.USAGE;
            }
            if (run.get().status().isFinished()) {
                System.err.println("run " + id + " has already ended: "
                        + run.get().outcome().describe());
                continue;
            }
            chosen.add(run.get());
        }
        if (all) {
            // Oldest first, and only top-level runs: a child run resumes with its parent.
            for (RunSummary run : runs.reversed()) {
                if (!run.status().isFinished() && run.parentConversationId() == null) {
                    chosen.add(run);
                }
            }
            if (chosen.isEmpty()) {
                System.err.println("No unfinished runs in the journal " + journal.directory());
                return Main.OK;
            }
        }
        int exit = Main.OK;
        for (RunSummary run : chosen) {
            if (quiet && !json && chosen.size() > 1) {
                System.out.println("run " + run.conversationId() + ":"); // whose result follows
            }
            exit = Math.max(exit, resume(run));
        }
        return exit;
    }

    /** Resumes one run with the models and tools of its journaled spec; returns its exit code. */
    private int resume(RunSummary run) {
        Optional<SpecSource> source = SpecSource.fromMetadata(run.metadata());
        if (source.isEmpty()) {
            System.err.println("error: run " + run.conversationId() + " was not started by 'troupe run' (its spec is"
                    + " not in the journal); resume it with a program that registers its models and tools");
            return Main.USAGE;
        }
        ScenarioSpec scenario;
        try {
            scenario = source.get().parse();
        } catch (SpecException e) {
            System.err.println(
                    "error: the spec of run " + run.conversationId() + " no longer reads: " + e.getMessage());
            return Main.USAGE;
        }
        if (source.get().localModel() != null) {
            scenario = RunCommand.withLocalModel(scenario, source.get().localModel());
        }
        PrintStream diagnostics = quiet ? new PrintStream(OutputStream.nullOutputStream(), true) : System.err;
        PrintStream out = System.out;
        System.setOut(diagnostics);
        Notices notices = new Notices(diagnostics);
        try (io.troupe.telemetry.Telemetry traces = telemetry.open();
                SpecTools tools = SpecTools.build(
                        scenario, source.get().path(), source.get().plugins());
                SpecModels models = SpecModels.build(
                        scenario,
                        diagnostics,
                        notices,
                        traces == null ? java.util.function.UnaryOperator.identity() : traces::traced)) {
            Guard guard = SpecGuard.build(
                    scenario,
                    auditDir.resolve(journal),
                    System::getenv,
                    name -> java.util.Optional.ofNullable(models.models().get(name)));
            TroupeRuntime.Builder builder =
                    TroupeRuntime.builder().journal(journal.journal()).resume(false);
            models.models().forEach(builder::model);
            SpecModels.rateLimits(scenario).forEach(builder::rateLimit);
            SpecGuard.install(guard, builder, tools.tools());
            try (@Nullable Guard closedLast = guard;
                    Troupe troupe = builder.start()) {
                SpecGuard.bind(guard, troupe);
                Transcript history = troupe.replay(run.conversationId())
                        .toCompletableFuture()
                        .join();
                int shown = history.events().size();
                // Read before the run resumes: what it did before is exported with its journal times, counted once.
                List<Transcript> before = new ArrayList<>();
                if (traces != null) {
                    traces.providers(SpecModels.providers(scenario));
                    before.addAll(
                            io.troupe.telemetry.Telemetry.childRuns(troupe, history, java.time.Duration.ofSeconds(60)));
                    before.add(history);
                }
                if (!quiet && !json) {
                    diagnostics.println("Resuming run " + run.conversationId() + " (" + run.team() + ") after " + shown
                            + " journaled steps");
                }
                RunFollower.Watch watch = RunFollower.Watch.of(json, quiet, guard, journal, out, diagnostics, notices);
                return RunFollower.follow(
                        troupe::approvals,
                        subscriber -> {
                            RunHandle handle = watch.follow(troupe.attach(run.conversationId()), subscriber);
                            if (traces != null) {
                                traces.resume(handle, before);
                            }
                            return handle;
                        },
                        shown,
                        watch);
            }
        } catch (TroupeException e) {
            System.err.println("error: " + Main.describe(e));
            return Main.exitCode(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.err.println("error: the child runs of run " + run.conversationId() + " could not be read from the"
                    + " journal " + journal.directory() + " ("
                    + (e.getCause() == null ? e : e.getCause().getMessage())
                    + "); try again, or resume without tracing (no --otel-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT)");
            return Main.UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.UNAVAILABLE;
        } finally {
            System.setOut(out);
        }
    }
}
