package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.troupe.api.ConfigurationException;
import io.troupe.api.ModelException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.LlmReissued;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.RunStatus;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.models.langchain4j.ApiKey;
import io.troupe.models.langchain4j.OpenAiCompatible;
import io.troupe.runtime.resilience.ResiliencePolicy;
import io.troupe.runtime.resilience.ResilientModel;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The defects that fault injection found, each reproduced and shown fixed: a hostile journal path, journal files
 * readable by others, crashed runs destroyed by a runtime that lacks their model, runs lost after {@code run()}
 * returned, a second process waiting silently on a journal in use, and timed-out calls that kept their connection.
 */
class CrashSafetyIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    static final TeamSpec SOLO = TeamSpec.builder("solo")
            .members(AgentSpec.of("writer", "gpt", "You write."))
            .build();

    // ---- Journal locations are paths ----

    @Test
    void aJournalPathWithJdbcSettings_isRefused_andRunsNothing(@TempDir Path dir) {
        Path marker = dir.resolve("pwned.txt");
        Path hostile = dir.resolve("journal;INIT=CALL FILE_WRITE('x', '" + marker + "')");

        assertThatThrownBy(() -> Journal.h2(hostile))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("it contains ';', which a journal location must not contain");
        assertThatThrownBy(() -> Journal.h2(dir.resolve("journal\nline")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("control character (U+000A)");
        assertThat(marker).doesNotExist();
    }

    @Test
    void aNewJournal_isReadableByItsOwnerOnly_andWritesNoTraceFile(@TempDir Path dir) throws IOException {
        Path journal = dir.resolve("runs").resolve("journal");
        ScriptedModel model = new ScriptedModel().on(Match.any(), Reply.text("Done."));
        try (Troupe troupe = runtime(journal).model("gpt", model).start()) {
            assertThat(troupe.run(SOLO, "Write").outcome().toCompletableFuture().join())
                    .isEqualTo(new Outcome.Completed("Done.", null));
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal.getParent())))
                .isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(journal)) {
            List<Path> all = files.toList();
            assertThat(all).extracting(p -> p.getFileName().toString()).contains("troupe.mv.db");
            assertThat(all).noneMatch(p -> p.getFileName().toString().endsWith(".trace.db"));
            for (Path file : all) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .as("permissions of %s", file.getFileName())
                        .isEqualTo("rw-------");
            }
        }
    }

    // ---- One process at a time, with a clear error at once ----

    @Test
    void aSecondProcessOnAJournalInUse_getsAClearErrorAtOnce(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("journal");
        Process holder = Crashes.start(Crashes.Scenario.HOLD, dir);
        try {
            Crashes.awaitLine(holder, Crashes.READY);
            Instant before = Instant.now();

            assertThatThrownBy(() -> runtime(journal).start())
                    .isInstanceOf(JournalInUseException.class)
                    .hasMessageContaining(
                            "The journal " + journal + " is in use by another Troupe process (pid " + holder.pid())
                    .hasMessageContaining("give this one another directory with --journal");
            assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(10));
        } finally {
            holder.destroyForcibly().waitFor();
        }
        // Once the holder is gone (killed, even), the journal opens at once.
        try (Troupe troupe = runtime(journal).start()) {
            assertThat(troupe.runs()).isEmpty();
        }
    }

    // ---- A crashed run waits, untouched, for a runtime that has its model ----

    @Test
    void aCrashedRun_survivesARuntimeThatLacksItsModel_andCompletesInOneThatHasIt(@TempDir Path dir) throws Exception {
        List<String> lines = ChildJvm.runUntil(
                Crashes.class,
                List.of(Crashes.Scenario.IN_FLIGHT.name(), dir.toString()),
                dir.resolve("child.log"),
                line -> line.startsWith(Crashes.IN_FLIGHT));
        String id = ChildJvm.value(lines, Crashes.RUN);
        Path journal = dir.resolve("journal");

        int eventsAfterCrash = replay(journal, id).events().size();
        ScriptedModel other = new ScriptedModel();
        try (Troupe troupe = runtime(journal).model("other", other).start()) {
            RunSummary summary = troupe.runs().stream()
                    .filter(r -> r.conversationId().equals(id))
                    .findFirst()
                    .orElseThrow();
            assertThat(summary.status()).isEqualTo(RunStatus.WAITING_FOR_RUNTIME);
            assertThat(summary.waitingFor()).contains("model 'gpt', which is not registered");
            // Following it wakes its conversation, which leaves it as it is.
            RunHandle handle = troupe.attach(id);
            assertThat(handle.outcome().toCompletableFuture().isDone()).isFalse();
        }
        assertThat(replay(journal, id).events()).hasSize(eventsAfterCrash);

        ScriptedModel gpt = new ScriptedModel().on(Match.any(), Reply.text("A story."));
        try (Troupe troupe = runtime(journal).model("gpt", gpt).start()) {
            Transcript done = await().atMost(WAIT)
                    .until(
                            () -> troupe.replay(id).toCompletableFuture().join(),
                            t -> t.outcome().isPresent());
            assertThat(done.outcome()).contains(new Outcome.Completed("A story.", null));
            // The abandoned call is charged, but it is one turn with the re-issued one, as without the crash.
            assertThat(done.events()).filteredOn(LlmReissued.class::isInstance).hasSize(1);
            JournalEvent.RunFinished finished =
                    (JournalEvent.RunFinished) done.events().getLast();
            assertThat(finished.turns()).isEqualTo(1);
            assertThat(finished.usage().inputTokens())
                    .isGreaterThan(((LlmReissued) done.events().stream()
                                    .filter(LlmReissued.class::isInstance)
                                    .findFirst()
                                    .orElseThrow())
                            .charged()
                            .inputTokens());
        }
        gpt.verify();
    }

    // ---- A run is durable once run() returns ----

    @Test
    void afterAKillDuringABurstOfSubmissions_everyRunWhoseRunReturned_completes(@TempDir Path dir) throws Exception {
        List<String> lines = ChildJvm.runUntil(
                Crashes.class,
                List.of(Crashes.Scenario.BURST.name(), dir.toString()),
                dir.resolve("child.log"),
                line -> line.equals(Crashes.KILL));
        List<String> returned = lines.stream()
                .filter(l -> l.startsWith(Crashes.RUN + " "))
                .map(l -> l.substring(Crashes.RUN.length() + 1))
                .toList();
        assertThat(returned).hasSizeGreaterThanOrEqualTo(Crashes.KILL_AFTER);

        ScriptedModel model = ScriptedModel.unordered();
        for (int i = 0; i < Crashes.BURST; i++) {
            model.on(Match.any(), Reply.text("Story " + i + "."));
        }
        Path journal = dir.resolve("journal");
        try (Troupe troupe = runtime(journal).model("gpt", model).start()) {
            Set<String> finished =
                    await().atMost(WAIT).until(() -> finishedRuns(troupe), done -> done.containsAll(returned));
            assertThat(finished).containsAll(returned);
            assertThat(troupe.runs())
                    .filteredOn(r -> returned.contains(r.conversationId()))
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.COMPLETED));
        }
    }

    private static Set<String> finishedRuns(Troupe troupe) {
        Set<String> done = new HashSet<>();
        for (RunSummary run : troupe.runs()) {
            if (run.status().isFinished()) {
                done.add(run.conversationId());
            }
        }
        return done;
    }

    // ---- A timed-out call closes its connection ----

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aTimedOutModelCall_closesItsHttpConnection(boolean streaming) throws Exception {
        try (Silent server = new Silent()) {
            LanguageModel model = ResilientModel.builder(
                            "gpt",
                            OpenAiCompatible.builder()
                                    .baseUrl("http://127.0.0.1:" + server.port() + "/v1")
                                    .model("gpt-test")
                                    .apiKey(ApiKey.fromConfiguration("test-key", "this test"))
                                    .build())
                    .policy(ResiliencePolicy.DEFAULT.withMaxAttempts(1).withCallTimeout(Duration.ofSeconds(2)))
                    .build();
            ModelRequest request = ModelRequest.of(List.of(new ChatMessage.User("Hello?")));

            assertThatThrownBy(() -> (streaming ? model.generate(request, token -> {}) : model.generate(request))
                            .toCompletableFuture()
                            .join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(ModelException.class);

            // The call timed out after the server accepted it (2 s is long enough to connect even on a loaded
            // machine); the connection must then be closed by the client, not left open.
            await().atMost(Duration.ofSeconds(20)).until(() -> server.accepted.get() == 1 && server.closed.size() == 1);
            assertThat(server.open()).isZero();
        }
    }

    /** A loopback HTTP server that reads requests and never answers, and sees when a client closes. */
    private static final class Silent implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger accepted = new AtomicInteger();
        final List<Socket> closed = new CopyOnWriteArrayList<>();

        Silent() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        accepted.incrementAndGet();
                        Thread.ofVirtual().start(() -> drain(client));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void drain(Socket client) {
            try (InputStream in = client.getInputStream()) {
                byte[] buffer = new byte[4096];
                while (in.read(buffer) >= 0) {
                    // read the request and wait; never answer
                }
            } catch (IOException e) {
                // a reset is a close too
            }
            closed.add(client);
        }

        int port() {
            return socket.getLocalPort();
        }

        int open() {
            return accepted.get() - closed.size();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---- Helpers ----

    static TroupeRuntime.Builder runtime(Path journal) {
        return TroupeRuntime.builder().journal(Journal.h2(journal)).config(TroupeHarness.TEST_CONFIG);
    }

    private static Transcript replay(Path journal, String id) {
        try (Troupe troupe = runtime(journal).resume(false).start()) {
            return troupe.replay(id).toCompletableFuture().join();
        }
    }
}
