package io.troupe.bench;

import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH: the time of one agent step above the model call, with a model that answers at once.
 *
 * <p>Each invocation runs the 3-agent sequential pipeline end to end, so every figure is per step
 * ({@link OperationsPerInvocation}). {@link #oneRun} is the latency of a lone run, thread hand-offs included;
 * {@link #runs64} keeps 64 runs in flight, so on a machine with N free cores its time per step approaches CPU per
 * step divided by N. With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per step by all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AgentStepBenchmark {
    private static final int STEPS = 3;
    private static final int IN_FLIGHT = 64;
    private static final Map<String, Integer> WARM_UP_RUNS = Map.of("memory", 10_000, "h2", 2_000);

    /** The journal: "memory" (Pekko's in-memory journal) or "h2" (the embedded H2 file journal). */
    @Param({"memory", "h2"})
    public String journal = "memory";

    private final TeamSpec team = BenchTeams.sequential3();
    private JournalKind.@Nullable Started started;
    private @Nullable Troupe troupe;

    @Setup
    public void start() {
        started = JournalKind.parse(journal).start(BenchModels.instant(BenchModels.ANSWER));
        troupe = started.troupe();
        Outcome first = Runs.once(troupe, team, BenchTeams.TASK);
        if (!(first instanceof Outcome.Completed)) {
            throw new IllegalStateException("the benchmark run did not complete: " + first.describe());
        }
        // The first few thousand runs of a fresh runtime pay for allocating shards; that is not a step's cost.
        Runs.bounded(troupe, team, BenchTeams.TASK, WARM_UP_RUNS.get(journal), IN_FLIGHT)
                .requireAllCompleted();
    }

    @TearDown
    public void stop() {
        if (started != null) {
            started.close();
        }
    }

    /** One run of three steps, start to outcome. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public Outcome oneRun() {
        return troupe().run(team, BenchTeams.TASK)
                .outcome()
                .toCompletableFuture()
                .join();
    }

    /** 64 runs of three steps started together, start to the last outcome. */
    @Benchmark
    @OperationsPerInvocation(STEPS * IN_FLIGHT)
    public Object runs64() {
        Troupe troupe = troupe();
        CompletableFuture<?>[] outcomes = new CompletableFuture<?>[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++) {
            // submit: run would wait for each start to be journaled before starting the next.
            outcomes[i] = troupe.submit(team, BenchTeams.TASK, java.util.Map.of())
                    .outcome()
                    .toCompletableFuture();
        }
        return CompletableFuture.allOf(outcomes).join();
    }

    private Troupe troupe() {
        if (troupe == null) {
            throw new IllegalStateException("the runtime has not started");
        }
        return troupe;
    }
}
