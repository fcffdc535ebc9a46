package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A closed runtime leaves no thread that keeps the JVM alive: a Java program that closes its {@link Troupe} exits
 * without {@code System.exit}. (Pekko's dispatchers stop their threads only when the scheduler refuses work the way
 * Pekko's own scheduler does.)
 */
class ShutdownTest {
    @Test
    void close_leavesNoNonDaemonThreadOfTheRuntime() throws Exception {
        Set<Thread> before = nonDaemonRuntimeThreads();
        ScriptedModel model = new ScriptedModel().on(Match.any(), Reply.text("done"));
        TeamSpec team = TeamSpec.builder("solo")
                .members(AgentSpec.of("worker", "m", "You work."))
                .build();
        Troupe troupe = TroupeHarness.runtime().model("m", model).start();
        Outcome outcome =
                troupe.run(team, "work").outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(Outcome.Completed.class);
        assertThat(nonDaemonRuntimeThreads())
                .as("a started runtime has threads of its own")
                .isNotEmpty();

        troupe.close();

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(nonDaemonRuntimeThreads())
                        .as("non-daemon threads still alive after close")
                        .isSubsetOf(before));
    }

    private static Set<Thread> nonDaemonRuntimeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon() && t.getName().startsWith("troupe-"))
                .collect(Collectors.toSet());
    }
}
