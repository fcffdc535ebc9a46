package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.LlmCompleted;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.RunResumed;
import io.troupe.api.run.JournalEvent.ToolCompleted;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.runtime.DurableFixture.Scenario;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run survives a hard kill: a child JVM runs a three-agent pipeline on an H2 file journal and is killed with
 * SIGKILL at a chosen point; a new runtime on the same journal resumes the run by itself. The new runtime's model
 * sees exactly the calls that had not completed, the result equals that of an uninterrupted run, and no tool
 * effect happens twice.
 */
class DurableConversationIT {
    private static String uninterruptedResult;
    private static List<String> uninterruptedEffects;

    @BeforeAll
    static void runUninterrupted(@TempDir Path dir) {
        ScriptedModel model = DurableFixture.model(0);
        try (Troupe troupe = runtime(dir, model).start()) {
            RunRecord run = TroupeHarness.collect(troupe.run(DurableFixture.team(), DurableFixture.TASK));
            uninterruptedResult = run.result();
        }
        model.verify();
        uninterruptedEffects = effects(dir);
        assertThat(uninterruptedEffects).containsExactly("research", "draft", "publish");
    }

    @Test
    void killAfterSecondModelStep_resumesWithoutRepeatingCompletedCalls(@TempDir Path dir) throws Exception {
        String id = runChildUntilKilled(dir, Scenario.AFTER_SECOND_MODEL_STEP);
        // Calls 1 and 2 completed before the kill; the model must see calls 3 to 6 only.
        Transcript journal = resume(dir, id, DurableFixture.model(2));
        assertNoStepRanTwice(journal);
        assertThat(attemptsByEffect(dir)).containsEntry("research", 1L).containsEntry("draft", 1L);
    }

    @Test
    void killBetweenRequestedAndCompleted_issuesThatCallExactlyOnceMore(@TempDir Path dir) throws Exception {
        String id = runChildUntilKilled(dir, Scenario.BETWEEN_REQUESTED_AND_COMPLETED);
        Transcript before = replay(dir, id);
        LlmRequested inFlight = (LlmRequested) before.events().getLast();
        assertThat(before.events()).noneMatch(e -> e instanceof LlmCompleted c && c.step() == inFlight.step());

        ScriptedModel model = DurableFixture.model(4);
        Transcript journal = resume(dir, id, model);
        // The call in flight is issued again, with its original step and the identical request.
        assertThat(model.requests().getFirst()).isEqualTo(inFlight.request());
        assertThat(journal.events())
                .filteredOn(e -> e instanceof LlmRequested r && r.step() == inFlight.step())
                .hasSize(1);
        assertNoStepRanTwice(journal);
    }

    @Test
    void killDuringToolCall_runsItAgainWithTheSameIdempotencyKey(@TempDir Path dir) throws Exception {
        String id = runChildUntilKilled(dir, Scenario.DURING_TOOL_CALL);
        List<String> attemptsBefore = DurableFixture.lines(dir.resolve("attempts.log"));
        String draftKey = attemptsBefore.getLast().split(" ")[0];

        Transcript journal = resume(dir, id, DurableFixture.model(3));
        List<String> draftAttempts = DurableFixture.lines(dir.resolve("attempts.log")).stream()
                .filter(line -> line.endsWith(" draft"))
                .toList();
        assertThat(draftAttempts).containsExactly(draftKey + " draft", draftKey + " draft");
        assertThat(draftKey).isEqualTo(id + ":" + stepOf(journal, "draft"));
        assertNoStepRanTwice(journal);
    }

    @Test
    void aRunResumedAnHourAfterTheKill_doesNotSpendItsWallClockOnTheDowntime(@TempDir Path dir) throws Exception {
        String id = runChildUntilKilled(dir, Scenario.AFTER_SECOND_MODEL_STEP);
        Instant killed = replay(dir, id).times().getLast();

        // The team has the default wall-clock budget, 10 minutes: an hour later the run would be far over it, and
        // end at once, if the time it was down counted.
        Clock anHourLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        Transcript journal = resume(dir, id, DurableFixture.model(2), anHourLater);

        List<RunResumed> resumed = journal.events().stream()
                .filter(RunResumed.class::isInstance)
                .map(RunResumed.class::cast)
                .toList();
        assertThat(resumed).hasSize(1);
        assertThat(resumed.getFirst().downtime())
                .isEqualTo(Duration.between(killed, resumed.getFirst().at()))
                .isBetween(Duration.ofHours(1), Duration.ofHours(1).plusMinutes(5));
        assertNoStepRanTwice(journal);
    }

    /** Resumes the run on a new runtime and checks the common promises; returns the final journal. */
    private static Transcript resume(Path dir, String id, ScriptedModel model) {
        return resume(dir, id, model, Clock.systemUTC());
    }

    private static Transcript resume(Path dir, String id, ScriptedModel model, Clock clock) {
        try (Troupe troupe = runtime(dir, model).clock(clock).start()) {
            // Nobody re-submits or follows the run: the runtime resumes it by itself when it starts. Reading the
            // journal does not wake the conversation, so the outcome appearing there proves the resumption.
            Transcript journal = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> troupe.replay(id).toCompletableFuture().join(),
                            t -> t.outcome().isPresent());
            Outcome expected = new Outcome.Completed(uninterruptedResult, null);
            assertThat(journal.outcome()).contains(expected);
            assertThat(troupe.attach(id).outcome().toCompletableFuture().join()).isEqualTo(expected);
            model.verify();
            assertThat(effects(dir)).containsExactlyElementsOf(uninterruptedEffects);
            return journal;
        }
    }

    private static TroupeRuntime.Builder runtime(Path dir, ScriptedModel model) {
        return TroupeRuntime.builder()
                .model("m", model)
                .tool(DurableFixture.recordEffect(dir, false))
                .journal(Journal.h2(dir.resolve("journal")))
                .config(TroupeHarness.TEST_CONFIG);
    }

    private static Transcript replay(Path dir, String id) {
        try (Troupe troupe = TroupeRuntime.builder()
                .journal(Journal.h2(dir.resolve("journal")))
                .config(TroupeHarness.TEST_CONFIG)
                .config("pekko.cluster.sharding.remember-entities = off")
                .start()) {
            return troupe.replay(id).toCompletableFuture().join();
        }
    }

    /** Starts the child JVM, waits for it to reach the kill point, and kills it with SIGKILL. */
    private static String runChildUntilKilled(Path dir, Scenario scenario) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(DurableFixture.class.getName(), dir.toString(), scenario.name()));
        Path stderr = dir.resolve("child-stderr.log");
        Process child =
                new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String id = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(DurableFixture.RUN + " ")) {
                    id = line.substring(DurableFixture.RUN.length() + 1);
                } else if (line.startsWith(DurableFixture.KILL_POINT)) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no graceful leave
                    break;
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS))
                .as("the child JVM exits")
                .isTrue();
        assertThat(child.exitValue())
                .as(() -> "killed by SIGKILL; the child's stderr:\n" + String.join("\n", DurableFixture.lines(stderr)))
                .isEqualTo(137);
        assertThat(id)
                .as("the child started a run; see child-stderr.log in " + dir)
                .isNotNull();
        return id;
    }

    private static void assertNoStepRanTwice(Transcript journal) {
        Map<Integer, Long> requested = journal.events().stream()
                .filter(LlmRequested.class::isInstance)
                .collect(Collectors.groupingBy(e -> ((LlmRequested) e).step(), Collectors.counting()));
        Map<Integer, Long> completed = journal.events().stream()
                .filter(LlmCompleted.class::isInstance)
                .collect(Collectors.groupingBy(e -> ((LlmCompleted) e).step(), Collectors.counting()));
        assertThat(requested)
                .hasSize(6)
                .allSatisfy((step, count) -> assertThat(count).isEqualTo(1));
        assertThat(completed).isEqualTo(requested);
        Map<Integer, Long> tools = journal.events().stream()
                .filter(ToolCompleted.class::isInstance)
                .collect(Collectors.groupingBy(e -> ((ToolCompleted) e).step(), Collectors.counting()));
        assertThat(tools)
                .hasSize(3)
                .allSatisfy((step, count) -> assertThat(count).isEqualTo(1));
        assertThat(journal.events().getLast()).isInstanceOf(JournalEvent.RunFinished.class);
    }

    private static int stepOf(Transcript journal, String effect) {
        return journal.events().stream()
                .filter(e ->
                        e instanceof ToolRequested r && r.call().arguments().contains(effect))
                .map(e -> ((ToolRequested) e).step())
                .findFirst()
                .orElseThrow();
    }

    /** The effects performed, in order. */
    private static List<String> effects(Path dir) {
        return DurableFixture.lines(dir.resolve("effects.log")).stream()
                .map(line -> line.split(" ")[1])
                .toList();
    }

    private static Map<String, Long> attemptsByEffect(Path dir) {
        return DurableFixture.lines(dir.resolve("attempts.log")).stream()
                .collect(Collectors.groupingBy(line -> line.split(" ")[1], Collectors.counting()));
    }
}
