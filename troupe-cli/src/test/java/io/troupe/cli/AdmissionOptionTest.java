package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.run.Outcome;
import io.troupe.api.run.OverloadedException;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The admission options of {@code troupe run}, and how it reports a run that the runtime refused. */
class AdmissionOptionTest {

    @Test
    void durationConverter_readsNumbersWithUnits() {
        AdmissionOption.DurationConverter converter = new AdmissionOption.DurationConverter();

        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void durationConverter_refusesAnythingElse_sayingHowToWriteIt() {
        AdmissionOption.DurationConverter converter = new AdmissionOption.DurationConverter();

        for (String bad : new String[] {"30", "thirty seconds", "0s", "10 s", "-5s"}) {
            assertThatThrownBy(() -> converter.convert(bad))
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessage("'" + bad + "' is not a positive duration: write a number with a unit (ms, s, m or h),"
                            + " like 500ms, 30s or 1m30s");
        }
    }

    @Test
    void options_areParsedByPicocli_andOutOfRangeValuesAreNamed() {
        RunCommand run = new RunCommand();
        new CommandLine(run)
                .parseArgs(
                        "spec.yaml", "--max-runs-in-flight", "0", "--max-queued-runs", "5", "--max-queue-wait", "2s");

        assertThat(run.admission.maxQueuedRuns).isEqualTo(5);
        assertThat(run.admission.maxQueueWait).isEqualTo(Duration.ofSeconds(2));
        assertThat(run.admission.problem()).isEqualTo("--max-runs-in-flight must be at least 1, got 0");

        RunCommand negative = new RunCommand();
        new CommandLine(negative).parseArgs("spec.yaml", "--max-queued-runs", "-1");
        assertThat(negative.admission.problem())
                .isEqualTo("--max-queued-runs must not be negative, got -1 (0 refuses a run at once)");
    }

    @Test
    void follow_aRunRefusedWhileItWaited_throwsTheOverload_notAWrappedFailure() {
        OverloadedException refused = new OverloadedException(
                "Run r-1 was refused: this runtime already runs its maximum of 2 runs at once and it waited 10 ms"
                        + " without a run ending.",
                2);
        RunHandle handle = new RefusedHandle(refused);
        PrintStream nowhere = new PrintStream(new ByteArrayOutputStream());

        assertThatThrownBy(() -> RunFollower.follow(
                        List::of,
                        subscriber -> handle,
                        0,
                        new RunFollower.Watch(
                                false,
                                true,
                                null,
                                "",
                                false,
                                nowhere,
                                nowhere,
                                new java.util.concurrent.atomic.AtomicBoolean())))
                .isSameAs(refused);
        assertThat(Main.exitCode(refused)).isEqualTo(Main.UNAVAILABLE);
    }

    /** The handle of a run that waited for a place and was refused: its start fails, nothing else happens. */
    private record RefusedHandle(OverloadedException reason) implements RunHandle {
        @Override
        public String conversationId() {
            return "r-1";
        }

        @Override
        public CompletionStage<Instant> started() {
            return CompletableFuture.failedFuture(reason);
        }

        @Override
        public Flow.Publisher<RunEvent> events() {
            return new SubmissionPublisher<>();
        }

        @Override
        public Flow.Publisher<RunEvent> journalEvents() {
            return events();
        }

        @Override
        public CompletionStage<Outcome> outcome() {
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<Outcome> cancel(String reason) {
            return new CompletableFuture<>();
        }
    }
}
