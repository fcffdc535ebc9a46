package io.troupe.cli;

import io.troupe.api.TroupeException;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.PendingApproval;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.guard.Guard;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

/**
 * Follows a run that {@code troupe run} or {@code troupe resume} starts: prints its transcript (or JSON events, or
 * only its result) and a progress line while it is quiet, stops when it ends or when it waits for a person's
 * approval, and turns its outcome into the command's exit code.
 */
final class RunFollower {
    /** How long a finished run may take to reach its audit log before the command ends. */
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(10);

    private RunFollower() {}

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
     * @param askedAgain set when a model is asked again ({@link Notices}): what the failed attempt streamed is marked
     *     as discarded
     */
    record Watch(
            boolean json,
            boolean quiet,
            @Nullable Guard guard,
            String journalArgument,
            boolean hideTokens,
            PrintStream out,
            PrintStream diagnostics,
            java.util.concurrent.atomic.AtomicBoolean askedAgain) {
        /**
         * Whether tokens are shown as models stream them: then the run's calls stream; otherwise ({@code --quiet}, or
         * a guard that withholds tokens) they are plain requests, which servers that cannot stream answer too.
         */
        boolean showsTokens() {
            return !quiet && !hideTokens;
        }

        /**
         * Subscribes {@code subscriber} to {@code handle}: to all its events when tokens are shown, else to its journal
         * events only, so that its model calls do not stream for nothing.
         */
        RunHandle follow(RunHandle handle, Flow.Subscriber<RunEvent> subscriber) {
            (showsTokens() ? handle.events() : handle.journalEvents()).subscribe(subscriber);
            return handle;
        }

        /**
         * Starts a run followed by {@code subscriber}: from before it starts when tokens are shown, so that the first
         * answer streams too; else through its journal events, so that its calls are plain requests.
         */
        RunHandle submit(
                io.troupe.api.run.Troupe troupe,
                io.troupe.api.team.TeamSpec team,
                String task,
                java.util.Map<String, String> metadata,
                Flow.Subscriber<RunEvent> subscriber) {
            return showsTokens()
                    ? troupe.submit(team, task, metadata, subscriber)
                    : follow(troupe.submit(team, task, metadata), subscriber);
        }

        /** How {@code troupe run} and {@code troupe resume} show a run of {@code journal}, guarded by {@code guard}. */
        static Watch of(
                boolean json,
                boolean quiet,
                @Nullable Guard guard,
                JournalOption journal,
                PrintStream out,
                PrintStream diagnostics,
                Notices notices) {
            return new Watch(
                    json,
                    quiet,
                    guard,
                    journal.asArgument(),
                    io.troupe.launch.SpecGuard.withholdsTokens(guard),
                    out,
                    diagnostics,
                    notices.askedAgain());
        }
    }

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
        Interrupted interrupted = new Interrupted(watch);
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            return followToTheEnd(pending, subscriber -> interrupted.following(start.apply(subscriber)), shown, watch);
        } finally {
            interrupted.over();
        }
    }

    /**
     * Tells the person who stops the command (Ctrl-C, a signal) that the run goes on being unfinished in the journal,
     * and how to finish it: a shutdown hook, removed once the command has followed the run to its end.
     */
    private static final class Interrupted extends Thread {
        private final Watch watch;
        private volatile @Nullable RunHandle run;

        Interrupted(Watch watch) {
            super("troupe-interrupted");
            this.watch = watch;
        }

        RunHandle following(RunHandle handle) {
            run = handle;
            return handle;
        }

        void over() {
            try {
                Runtime.getRuntime().removeShutdownHook(this);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already: the hook runs, and tells whether the run ended
            }
        }

        @Override
        public void run() {
            RunHandle handle = run;
            // Decided by the run, not by the command: shutting down the runtime may end the command's wait first.
            java.util.concurrent.CompletableFuture<Outcome> outcome =
                    handle == null ? null : handle.outcome().toCompletableFuture();
            if (outcome != null && !(outcome.isDone() && !outcome.isCompletedExceptionally())) {
                String id = handle.conversationId();
                watch.diagnostics().println();
                watch.diagnostics()
                        .println("Stopped: run " + id + " is unfinished; its journaled steps are kept."
                                + " Finish it with: troupe resume " + id + watch.journalArgument());
                watch.diagnostics().flush();
            }
        }
    }

    private static int followToTheEnd(
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
                        resultOnly ? new PrintStream(OutputStream.nullOutputStream()) : out,
                        json,
                        quiet || watch.hideTokens())
                .discardingOnRetry(watch.askedAgain());
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
                    List<PendingApproval> waitingHere;
                    try {
                        waitingHere = pending.get().stream()
                                .filter(p -> p.conversationId().equals(conversationId)
                                        || p.conversationId().startsWith(conversationId + "."))
                                .toList();
                    } catch (RuntimeException e) {
                        // The run went on and the runtime closed (a resumed run replays a hold that was decided):
                        // nothing waits, and the run's own outcome is what this command reports.
                        return;
                    }
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
