package io.troupe.cli;

import io.troupe.api.TroupeException;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.OverloadedException;
import io.troupe.api.run.PendingApproval;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.config.ModelConfig;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import io.troupe.config.SpecSource;
import io.troupe.guard.Guard;
import io.troupe.launch.SpecGuard;
import io.troupe.launch.SpecModels;
import io.troupe.launch.SpecTools;
import io.troupe.runtime.TroupeRuntime;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe run SPEC}: runs a spec's team on its task and prints the transcript as it happens, or with {@code
 * --quiet} only the result.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the team in SPEC on its task and prints the transcript as it happens, then a summary.",
            "Exit code 0: completed; 1: failed or over budget; 2: usage or spec error;"
                    + " 3: a model or the network is unavailable; 4: the run waits for a person's approval."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  troupe run examples/story-workshop.yaml",
            "  troupe run examples/story-workshop.yaml --task \"A dragon learns to fly\" --quiet",
            "  troupe run examples/openai-pair.yaml --json > events.jsonl",
            "  troupe run examples/story-workshop.yaml --model qwen2.5-0.5b-instruct",
            "  troupe run examples/story-workshop.yaml --model ~/models/my-model.gguf",
            "  troupe run my-team.yaml --plugins ./plugins",
            "  TROUPE_MODEL_DIR=~/models troupe run examples/story-workshop.yaml --journal ./troupe-data",
            "  troupe run payments.yaml; troupe approvals list; troupe resume RUN_ID   (a call waits for a person)"
        })
final class RunCommand implements Callable<Integer> {
    /** How long a finished run may take to reach its audit log before the command ends. */
    private static final java.time.Duration AUDIT_WAIT = java.time.Duration.ofSeconds(10);

    @Parameters(paramLabel = "SPEC", description = "The team spec, a YAML file.")
    @SuppressWarnings("NullAway.Init")
    Path spec;

    @Option(names = "--task", paramLabel = "TEXT", description = "The task; overrides the spec's 'task'.")
    @Nullable
    String task;

    @Option(
            names = "--model",
            paramLabel = "NAME|PATH",
            description = "Use this local model for every llamacpp model in the spec: a catalog name ('troupe models"
                    + " list') or the path of a .gguf file. Hosted models are left as they are.")
    @Nullable
    String model;

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "A directory of plugin jars: every io.troupe.api.tool.Tool they declare as a service"
                    + " (META-INF/services) becomes a tool that agents can name.")
    @Nullable
    Path plugins;

    @Option(names = "--json", description = "Print one JSON event per line instead of the transcript.")
    boolean json;

    @Option(
            names = "--quiet",
            description = "Print only the result (the team's answer) on standard output; with --json, leave out the"
                    + " streamed tokens.")
    boolean quiet;

    @Mixin
    JournalOption journal = new JournalOption();

    @Mixin
    AuditDirOption auditDir = new AuditDirOption();

    @Mixin
    TelemetryOption telemetry = new TelemetryOption();

    @Mixin
    AdmissionOption admission = new AdmissionOption();

    @Override
    public Integer call() {
        ScenarioSpec scenario;
        SpecSource source;
        try {
            scenario = SpecLoader.load(spec);
            source = SpecSource.read(spec, model, plugins);
        } catch (SpecException e) {
            System.err.println(e.getMessage());
            return Main.USAGE;
        }
        if (model != null) {
            scenario = withLocalModel(scenario, model);
        }
        if (admission.problem() != null) {
            System.err.println("error: " + admission.problem());
            return Main.USAGE;
        }
        String text = task != null ? task : scenario.task();
        if (text == null || text.isBlank()) {
            System.err.println(spec + ": no task: add 'task:' to the spec or pass --task TEXT");
            return Main.USAGE;
        }
        boolean chatty = !quiet;
        PrintStream diagnostics = chatty ? System.err : new PrintStream(OutputStream.nullOutputStream(), true);
        // Standard output is the transcript alone: native libraries may print while loading, so send that away.
        PrintStream out = System.out;
        System.setOut(diagnostics);
        // Tools first: their checks are quick, and a missing tool should not wait for a model download.
        try (io.troupe.telemetry.Telemetry traces = telemetry.open();
                SpecTools tools = SpecTools.build(scenario, spec, plugins);
                SpecModels models = SpecModels.build(
                        scenario,
                        diagnostics,
                        new Notices(diagnostics),
                        traces == null ? java.util.function.UnaryOperator.identity() : traces::traced)) {
            Guard guard = SpecGuard.build(
                    scenario,
                    auditDir.resolve(journal),
                    System::getenv,
                    name -> java.util.Optional.ofNullable(models.models().get(name)));
            TroupeRuntime.Builder builder =
                    TroupeRuntime.builder().journal(journal.journal()).resume(false);
            admission.apply(builder, scenario.runtime());
            models.models().forEach(builder::model);
            SpecModels.rateLimits(scenario).forEach(builder::rateLimit);
            SpecGuard.install(guard, builder, tools.tools());
            try (@Nullable Guard closedLast = guard;
                    Troupe troupe = builder.start()) {
                SpecGuard.bind(guard, troupe);
                Watch watch = new Watch(
                        json, quiet, guard, journal.asArgument(), SpecGuard.withholdsTokens(guard), out, diagnostics);
                ScenarioSpec started = scenario;
                if (traces != null) {
                    traces.providers(SpecModels.providers(scenario));
                    java.time.Instant submitted = java.time.Instant.now();
                    return follow(
                            troupe::approvals,
                            subscriber -> {
                                RunHandle handle = troupe.submit(started.team(), text, source.toMetadata(), subscriber);
                                traces.follow(handle, submitted);
                                return handle;
                            },
                            0,
                            watch);
                }
                // Follow the run from before it starts, so that the first agent's answer streams too.
                return follow(
                        troupe::approvals,
                        subscriber -> troupe.submit(started.team(), text, source.toMetadata(), subscriber),
                        0,
                        watch);
            }
        } catch (TroupeException e) {
            System.err.println("error: " + Main.describe(e));
            if (e instanceof OverloadedException) {
                System.err.println("  For 'troupe run': raise --max-runs-in-flight, --max-queued-runs or"
                        + " --max-queue-wait, or the spec's 'runtime:' settings.");
            }
            return Main.exitCode(e);
        } finally {
            System.setOut(out);
        }
    }

    /** {@code scenario} with {@code nameOrPath} as the model of every llama.cpp model config. */
    static ScenarioSpec withLocalModel(ScenarioSpec scenario, String nameOrPath) {
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        scenario.models()
                .forEach((name, config) -> models.put(
                        name,
                        config.provider() == ModelConfig.Provider.LLAMACPP ? config.withModel(nameOrPath) : config));
        return scenario.withModels(models);
    }

    /**
     * How a run is shown.
     *
     * @param json one JSON event per line
     * @param quiet only the result
     * @param guard the run's guard, or null: its audit log is complete before the command ends
     * @param journalArgument {@code " --journal X"} when the journal is not the default one, for the commands shown
     * @param hideTokens leave out streamed tokens: they are the raw answer, before a guardrail redacts it
     * @param out where the transcript goes
     * @param diagnostics where progress and notices go
     */
    record Watch(
            boolean json,
            boolean quiet,
            @Nullable Guard guard,
            String journalArgument,
            boolean hideTokens,
            PrintStream out,
            PrintStream diagnostics) {}

    /**
     * Follows the run that {@code start} starts or attaches, with the subscriber it is given, to its end, or until it
     * waits for a person ({@code pending} lists the approvals that wait, from the runtime's journal), printing as
     * {@code watch} says, except the first {@code shown} journal events (a resumed run's history); returns the exit
     * code.
     */
    static int follow(
            Supplier<List<PendingApproval>> pending,
            Function<Flow.Subscriber<RunEvent>, RunHandle> start,
            int shown,
            Watch watch) {
        boolean json = watch.json();
        boolean quiet = watch.quiet();
        PrintStream out = watch.out();
        PrintStream diagnostics = watch.diagnostics();
        boolean resultOnly = quiet && !json;
        TranscriptPrinter printer = new TranscriptPrinter(
                resultOnly ? new PrintStream(OutputStream.nullOutputStream()) : out, json, quiet || watch.hideTokens());
        Approvals approvals = new Approvals(pending);
        Progress progress = new Progress(Instant.now());
        Availability availability = new Availability();
        int[] journaled = {0};
        CompletableFuture<Void> done = new CompletableFuture<>();
        RunHandle handle = start.apply(following(
                event -> {
                    progress.seen(event, Instant.now());
                    availability.seen(event);
                    if (!(event instanceof JournalEvent) || journaled[0]++ >= shown) {
                        printer.print(event);
                    } else {
                        printer.remember(event);
                    }
                    approvals.seen(event);
                },
                done));
        approvals.following(handle.conversationId());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "troupe-progress");
            thread.setDaemon(true);
            return thread;
        });
        if (!quiet && !json) {
            ticker.scheduleAtFixedRate(
                    () -> {
                        String line = progress.tick(Instant.now());
                        if (line != null) {
                            diagnostics.println(line);
                        }
                    },
                    1,
                    1,
                    TimeUnit.SECONDS);
        }
        try {
            try {
                handle.started().toCompletableFuture().join();
            } catch (CompletionException e) {
                // A run that waited for a place and was refused (overload), or whose start was not journaled.
                if (e.getCause() instanceof TroupeException refused) {
                    throw refused;
                }
                throw e;
            }
            CompletableFuture.anyOf(done, approvals.waiting()).join();
        } finally {
            ticker.shutdownNow();
        }
        if (!done.isDone() && approvals.waiting().isDone()) {
            printer.flush();
            System.err.println(approvals.describe(watch.journalArgument()));
            return Main.WAITING;
        }
        Outcome outcome = handle.outcome().toCompletableFuture().join();
        if (watch.guard() != null && !watch.guard().awaitRecorded(handle.conversationId(), AUDIT_WAIT)) {
            diagnostics.println("note: the audit log of run " + handle.conversationId() + " is not complete yet; the"
                    + " next guarded 'troupe run' or 'troupe resume' on this journal completes it");
        }
        printer.printSummary();
        if (resultOnly) {
            switch (outcome) {
                case Outcome.Completed completed ->
                    out.println(completed.result().strip());
                case Outcome.BudgetExceeded exceeded -> System.err.println(Units.humanize(exceeded.describe()));
                case Outcome.Failed failed -> System.err.println(Units.humanize(failed.describe()));
                case Outcome.Cancelled cancelled -> System.err.println(cancelled.describe());
            }
            out.flush();
        }
        return switch (outcome) {
            case Outcome.Completed completed -> Main.OK;
            case Outcome.BudgetExceeded exceeded -> Main.RUN_FAILED;
            case Outcome.Failed failed -> availability.modelUnavailable() ? Main.UNAVAILABLE : Main.RUN_FAILED;
            case Outcome.Cancelled cancelled -> Main.RUN_FAILED;
        };
    }

    /** Feeds every event to {@code printer}; completes when the stream does. */
    static CompletableFuture<Void> follow(Flow.Publisher<RunEvent> events, TranscriptPrinter printer) {
        return follow(events, printer::print);
    }

    /** Feeds every event to {@code consumer}; completes when the stream does. */
    static CompletableFuture<Void> follow(Flow.Publisher<RunEvent> events, Consumer<RunEvent> consumer) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        events.subscribe(following(consumer, done));
        return done;
    }

    /** A subscriber that feeds every event to {@code consumer} and completes {@code done} when the stream does. */
    private static Flow.Subscriber<RunEvent> following(Consumer<RunEvent> consumer, CompletableFuture<Void> done) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(RunEvent event) {
                consumer.accept(event);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        };
    }

    /**
     * Watches a run for what it holds for a person: once the run journals a hold that nobody has decided (the run
     * index says so, so that holds decided before a resume do not count), {@link #waiting()} completes. The journal
     * is this process's while it runs, so a person decides with {@code troupe approvals} after it has stopped, and
     * {@code troupe resume} goes on.
     */
    private static final class Approvals {
        private final Supplier<List<PendingApproval>> pending;
        /** The run's id, known once it is submitted; its first events may come before. */
        private final CompletableFuture<String> run = new CompletableFuture<>();

        private final CompletableFuture<List<PendingApproval>> waiting = new CompletableFuture<>();

        Approvals(Supplier<List<PendingApproval>> pending) {
            this.pending = pending;
        }

        void following(String conversationId) {
            run.complete(conversationId);
        }

        void seen(RunEvent event) {
            if (event instanceof JournalEvent.Intercepted intercepted
                    && intercepted.held() != null
                    && !waiting.isDone()) {
                // Events come on the runtime's threads, which must not wait for the journal: ask it on another.
                Thread.ofVirtual().start(() -> {
                    String conversationId = run.join();
                    List<PendingApproval> waitingHere = pending.get().stream()
                            .filter(p -> p.conversationId().equals(conversationId)
                                    || p.conversationId().startsWith(conversationId + "."))
                            .toList();
                    if (!waitingHere.isEmpty()) {
                        waiting.complete(waitingHere);
                    }
                });
            }
        }

        CompletableFuture<List<PendingApproval>> waiting() {
            return waiting;
        }

        String describe(String journalArgument) {
            StringBuilder text = new StringBuilder();
            for (PendingApproval pending : waiting.join()) {
                text.append("Run ")
                        .append(pending.conversationId())
                        .append(" waits for a person: ")
                        .append(pending.reason())
                        .append(" (")
                        .append(ApprovalsCommand.what(pending.subject()))
                        .append(")\n  approve: troupe approvals approve ")
                        .append(pending.conversationId())
                        .append(' ')
                        .append(pending.key())
                        .append(journalArgument)
                        .append("\n  deny:    troupe approvals deny ")
                        .append(pending.conversationId())
                        .append(' ')
                        .append(pending.key())
                        .append(journalArgument)
                        .append('\n');
            }
            return text.append("then go on with: troupe resume ")
                    .append(run.join())
                    .append(journalArgument)
                    .toString();
        }
    }

    /** Whether a model call of the run failed for want of a model: after every retry and fallback, retriably. */
    private static final class Availability {
        private volatile boolean unavailable;

        void seen(RunEvent event) {
            if (event instanceof JournalEvent.LlmFailed failed && failed.retriable()) {
                unavailable = true;
            }
        }

        boolean modelUnavailable() {
            return unavailable;
        }
    }
}
