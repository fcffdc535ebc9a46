package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A benchmark check, not a timed unit test: the process CPU of a started, idle runtime over 10 s. The goal is at most
 * 1 ms of CPU per second; the check fails above 3 ms/s, a margin for machines busy with other work. It prints the
 * figure it measured.
 *
 * <p>Not part of {@code ./mvnw verify}: on 2 shared cores it measures 10–16 ms/s today (issue 10 is open on it), most
 * of it the JVM's own (the JIT compiling the idle code paths in the first minutes, monitor deflation); Troupe's timer
 * and dispatchers cost about 2 ms/s of it. A benchmark check belongs with the benchmarks. Run it with {@code ./mvnw -pl troupe-bench -am test
 * -Dtest=IdleCostTest -Dsurefire.failIfNoSpecifiedTests=false -Dtroupe.bench.checks=true}.
 */
@EnabledIfSystemProperty(named = "troupe.bench.checks", matches = "true")
class IdleCostTest {
    private static final double LIMIT_MS_PER_S = 3.0;

    @Test
    @DisplayName("an idle runtime costs at most 3 ms of CPU per second")
    void idleRuntime_costsAtMostThreeMillisecondsOfCpuPerSecond() throws InterruptedException {
        double cost = IdleCost.measure(JournalKind.MEMORY, Duration.ofSeconds(10));
        Figures.print("idle CPU of a started runtime, memory", cost, "ms/s", "limit " + LIMIT_MS_PER_S + " ms/s");
        assertThat(cost).isLessThanOrEqualTo(LIMIT_MS_PER_S);
    }
}
