package io.troupe.tune.eval;

import io.troupe.api.ConfigurationException;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs eval cases on a runtime, one after another, and grades each run. Runs are journaled like any other, so they
 * can be replayed, explained and turned into datasets.
 */
public final class EvalRunner {
    private final Troupe troupe;
    private final Grader grader;
    private final @Nullable LanguageModel judge;
    private final Duration timeout;

    /**
     * @param judge the model that grades {@code judge} checks, or null when no case has one
     * @param timeout the longest a case may run before it counts as failed
     */
    public EvalRunner(Troupe troupe, @Nullable LanguageModel judge, Duration timeout) {
        this.troupe = troupe;
        this.judge = judge;
        this.grader = new Grader(judge, timeout);
        this.timeout = timeout;
    }

    /**
     * Runs every case with {@code team} and grades it.
     *
     * @param label names this configuration in reports
     * @param progress receives each case's result as it is graded
     * @throws ConfigurationException if a case needs a judge and there is none
     */
    public EvalRun run(String label, TeamSpec team, List<EvalCase> cases, Consumer<CaseResult> progress) {
        if (judge == null) {
            List<String> needJudge = cases.stream()
                    .filter(c -> c.checks().stream().anyMatch(Check.Judge.class::isInstance))
                    .map(EvalCase::id)
                    .toList();
            if (!needJudge.isEmpty()) {
                throw new ConfigurationException("Cases " + needJudge + " have a 'judge' check but no judge model"
                        + " was given: pass --judge MODEL (a model under 'models' in the spec)");
            }
        }
        List<CaseResult> results = new ArrayList<>();
        for (EvalCase evalCase : cases) {
            long started = System.nanoTime();
            RunHandle handle = troupe.run(team, evalCase.task());
            Outcome outcome;
            try {
                outcome = handle.outcome().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                outcome = cancel(handle, "the case did not finish within " + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                outcome = new Outcome.Failed("the run failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while running case " + evalCase.id(), e);
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            Transcript transcript = replay(handle.conversationId());
            CaseResult result = new CaseResult(
                    evalCase.id(),
                    handle.conversationId(),
                    Grader.outcome(outcome),
                    outcome instanceof Outcome.Completed done ? done.result() : outcome.describe(),
                    grader.grade(evalCase, outcome, transcript),
                    transcript.usage(),
                    latency);
            results.add(result);
            progress.accept(result);
        }
        return new EvalRun(label, results);
    }

    /** Cancels a run that took too long, so that it stops spending, and returns how it ended. */
    private static Outcome cancel(RunHandle handle, String reason) {
        try {
            return handle.cancel(reason).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed(reason);
        } catch (ExecutionException | TimeoutException e) {
            return new Outcome.Failed(reason + "; cancelling it failed too: " + e.getMessage());
        }
    }

    private Transcript replay(String runId) {
        try {
            return troupe.replay(runId).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading run " + runId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot read run " + runId + " back from the journal: " + e, e);
        }
    }
}
