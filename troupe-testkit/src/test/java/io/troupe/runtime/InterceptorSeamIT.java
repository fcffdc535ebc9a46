package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.ApprovalDecided;
import io.troupe.api.run.JournalEvent.Intercepted;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.JournalEvent.ToolCallRejected;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.PendingApproval;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolResult;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interception seam, on an H2 file journal: one interceptor of each kind (proceed, replace, block, throw, wait
 * for a human) on model calls, tool calls and messages. Each verdict is journaled before it takes effect, replay
 * shows it without asking any interceptor, a throwing interceptor blocks (fail closed), and a run waiting for a
 * person survives a kill -9 and goes on after an approval in a new runtime.
 */
class InterceptorSeamIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    // ---- The team ----

    static final TeamSpec DESK = TeamSpec.builder("desk")
            .members(AgentSpec.builder("clerk")
                    .model("m")
                    .instructions("You are the clerk.")
                    .tools("lookup", "delete", "transfer")
                    .build())
            .build();

    /** Counts the calls of each tool, in a file, so that a child JVM's calls count too. */
    static Tool tool(Path dir, String name) {
        return Tool.of(
                new ToolDefinition(
                        name,
                        "The " + name + " tool.",
                        "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"additionalProperties\":false}"),
                call -> {
                    Files.writeString(
                            dir.resolve("tools.log"),
                            name + " " + call.arguments() + "\n",
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                    return ToolResult.ok(name + " done for " + call.arguments());
                });
    }

    static List<String> toolLog(Path dir) throws IOException {
        Path log = dir.resolve("tools.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Records what it sees and lets it all through, with a note: the tracing and audit kind. */
    static final class Audit implements Interceptor {
        final List<Point> seen = new CopyOnWriteArrayList<>();

        @Override
        public Verdict intercept(Interception interception) {
            seen.add(interception.point());
            return Verdict.proceed("seen at " + interception.point());
        }
    }

    /** Changes what happens: a system note on model calls, a lower-case lookup, and "secret" out of answers. */
    static final class Redact implements Interceptor {
        @Override
        public Verdict intercept(Interception interception) {
            return switch (interception.subject()) {
                case Interception.Subject.ModelCall call -> {
                    List<ChatMessage> messages = new ArrayList<>(call.request().messages());
                    messages.add(1, new ChatMessage.System("Be brief."));
                    ModelRequest request = new ModelRequest(
                            messages,
                            call.request().tools(),
                            call.request().responseSchema(),
                            call.request().maxOutputTokens());
                    yield Verdict.replace(new Interception.Subject.ModelCall(call.model(), request), "house style");
                }
                case Interception.Subject.ToolUse use
                when use.call().name().equals("lookup") -> {
                    ToolCall call = use.call();
                    yield Verdict.replace(
                            new Interception.Subject.ToolUse(new ToolCall(
                                    call.id(), call.name(), call.arguments().toLowerCase())),
                            "lookups are lower case");
                }
                case Interception.Subject.Outgoing outgoing
                when outgoing.message().body().contains("secret") -> {
                    Message m = outgoing.message();
                    yield Verdict.replace(
                            new Interception.Subject.Outgoing(new Message(
                                    m.id(),
                                    m.conversationId(),
                                    m.inReplyTo(),
                                    m.sender(),
                                    m.receivers(),
                                    m.performative(),
                                    m.body().replace("secret", "[redacted]"),
                                    m.payload(),
                                    m.deadline())),
                            "no secrets leave the desk");
                }
                default -> Verdict.proceed();
            };
        }
    }

    /** Blocks deletions. */
    static final Interceptor NO_DELETE =
            interception -> interception.subject() instanceof Interception.Subject.ToolUse use
                            && use.call().name().equals("delete")
                    ? Verdict.block("deleting is not allowed here")
                    : Verdict.proceed();

    /** Holds transfers for a person. */
    static final Interceptor APPROVAL =
            interception -> interception.subject() instanceof Interception.Subject.ToolUse use
                            && use.call().name().equals("transfer")
                    ? Verdict.askHuman("transfers need a person")
                    : Verdict.proceed();

    static TroupeRuntime.Builder runtime(Path dir, ScriptedModel model, Audit audit) {
        return TroupeRuntime.builder()
                .model("m", model)
                .tool(tool(dir, "lookup"))
                .tool(tool(dir, "delete"))
                .tool(tool(dir, "transfer"))
                .interceptor("audit", audit)
                .interceptor("redact", new Redact())
                .interceptor("no-delete", NO_DELETE)
                .interceptor("approval", APPROVAL)
                .journal(Journal.h2(dir.resolve("journal")))
                .config(TroupeHarness.TEST_CONFIG);
    }

    // ---- Proceed, replace and block, journaled before they take effect, replayed without interceptors ----

    @Test
    void verdicts_areJournaledBeforeTheyTakeEffect_andReplayShowsThemWithoutAskingAnyInterceptor(@TempDir Path dir)
            throws IOException {
        ScriptedModel model = new ScriptedModel()
                .on(
                        Match.system("You are the clerk").and(Match.system("Be brief.")),
                        Reply.toolCalls(
                                new ToolCall("c1", "lookup", "{\"q\":\"OSLO\"}"),
                                new ToolCall("c2", "delete", "{\"q\":\"all\"}")))
                // The round's last output is the refused deletion's.
                .on(Match.afterTool("delete"), Reply.text("The secret code is 42."));
        Audit audit = new Audit();

        RunRecord run;
        try (Troupe troupe = runtime(dir, model, audit).start()) {
            run = TroupeHarness.collect(troupe.run(DESK, "Look up Oslo and delete everything"));
        }

        assertThat(run.result()).isEqualTo("The [redacted] code is 42.");
        List<JournalEvent> journal = run.journal();
        // The model call: the replaced request is what was requested and what the model saw.
        Intercepted call = intercepted(journal, Point.MODEL_CALL, 0);
        assertThat(call.rulings()).extracting(Ruling::interceptor).contains("audit", "redact");
        LlmRequested requested = first(journal, LlmRequested.class, r -> true);
        assertThat(journal.indexOf(call)).isLessThan(journal.indexOf(requested));
        assertThat(requested.request().systemText()).contains("Be brief.");
        assertThat(model.requests().getFirst().systemText()).contains("Be brief.");
        // The lookup ran with the replaced arguments, and the deletion never ran.
        ToolRequested lookup =
                first(journal, ToolRequested.class, r -> r.call().name().equals("lookup"));
        assertThat(lookup.call().arguments()).isEqualTo("{\"q\":\"oslo\"}");
        assertThat(journal.indexOf(intercepted(journal, Point.TOOL_USE, 0))).isLessThan(journal.indexOf(lookup));
        ToolCallRejected delete =
                first(journal, ToolCallRejected.class, r -> r.call().name().equals("delete"));
        Intercepted blocked = intercepted(journal, Point.TOOL_USE, 1);
        assertThat(blocked.rulings().getLast())
                .isEqualTo(new Ruling("no-delete", Verdict.block("deleting is not allowed here")));
        assertThat(journal.indexOf(blocked)).isLessThan(journal.indexOf(delete));
        assertThat(delete.reason()).contains("deleting is not allowed here");
        assertThat(toolLog(dir)).containsExactly("lookup {\"q\":\"oslo\"}");
        // The answer left the desk without its secret.
        MessageSent answer =
                first(journal, MessageSent.class, m -> m.message().sender().equals("clerk"));
        assertThat(journal.indexOf(intercepted(journal, Point.OUTGOING, 0))).isLessThan(journal.indexOf(answer));
        assertThat(answer.message().body()).isEqualTo("The [redacted] code is 42.");
        assertThat(audit.seen)
                .contains(
                        Point.INCOMING,
                        Point.MODEL_CALL,
                        Point.MODEL_ANSWER,
                        Point.TOOL_USE,
                        Point.TOOL_OUTPUT,
                        Point.OUTGOING,
                        Point.TASK);

        // Replay on a runtime whose interceptors would fail the test if asked: the same verdicts, from the journal.
        Interceptor never = interception -> {
            throw new AssertionError("replay asked an interceptor about " + interception.point());
        };
        try (Troupe troupe = TroupeRuntime.builder()
                .journal(Journal.h2(dir.resolve("journal")))
                .interceptor("audit", never)
                .interceptor("redact", never)
                .config(TroupeHarness.TEST_CONFIG)
                .start()) {
            Transcript replayed =
                    troupe.replay(run.conversationId()).toCompletableFuture().join();
            assertThat(replayed.events().stream()
                            .filter(Intercepted.class::isInstance)
                            .toList())
                    .isEqualTo(journal.stream()
                            .filter(Intercepted.class::isInstance)
                            .toList());
        }
        model.verify();
    }

    @Test
    void anInterceptorThatThrowsOrHangs_blocksTheCall(@TempDir Path dir) {
        CountDownLatch never = new CountDownLatch(1);
        Interceptor broken = interception -> {
            if (interception.point() == Point.MODEL_ANSWER) {
                throw new IllegalStateException("boom");
            }
            return Verdict.proceed();
        };
        Interceptor hanging = new Interceptor() {
            @Override
            public Verdict intercept(Interception interception) throws Exception {
                never.await();
                return Verdict.proceed();
            }

            @Override
            public java.util.Set<Point> points() {
                return java.util.Set.of(Point.OUTGOING);
            }

            @Override
            public Duration timeout() {
                return Duration.ofMillis(300);
            }
        };
        ScriptedModel model = ScriptedModel.unordered()
                .on(Match.system("You intern"), Reply.text("A leaky answer."))
                .on(Match.system("You review"), Reply.text("Reviewed."));
        TeamSpec team = TeamSpec.builder("office")
                .members(
                        AgentSpec.builder("intern")
                                .model("m")
                                .instructions("You intern.")
                                .interceptors("broken")
                                .build(),
                        AgentSpec.builder("reviewer")
                                .model("m")
                                .instructions("You review.")
                                .interceptors("hanging")
                                .build())
                .mechanism(new io.troupe.api.team.MechanismSpec.Parallel(List.of("intern", "reviewer"), null))
                .build();

        RunRecord run;
        try (Troupe troupe = TroupeRuntime.builder()
                .model("m", model)
                .namedInterceptor("broken", broken)
                .namedInterceptor("hanging", hanging)
                .journal(Journal.h2(dir.resolve("journal")))
                .config(TroupeHarness.TEST_CONFIG)
                .start()) {
            run = TroupeHarness.collect(troupe.run(team, "Answer"));
        }

        Intercepted thrown = intercepted(run.journal(), Point.MODEL_ANSWER, 0);
        assertThat(thrown.agentId()).isEqualTo("intern");
        assertThat(thrown.rulings().getLast().verdict())
                .isInstanceOfSatisfying(
                        Verdict.Block.class,
                        block -> assertThat(block.reason())
                                .isEqualTo(
                                        "interceptor 'broken' failed (java.lang.IllegalStateException: boom), so the call is"
                                                + " blocked (fail closed)"));
        assertThat(run.firstMessage("intern", Performative.FAILURE).body())
                .contains("the model's answer was blocked: broken: interceptor 'broken' failed");
        assertThat(run.messages()).noneMatch(m -> m.body().contains("leaky"));
        Intercepted timedOut = intercepted(run.journal(), Point.OUTGOING, 0);
        assertThat(timedOut.agentId()).isEqualTo("reviewer");
        assertThat(((Verdict.Block) timedOut.rulings().getLast().verdict()).reason())
                .isEqualTo("interceptor 'hanging' did not answer within 300 ms, so the call is blocked (fail closed)");
        assertThat(run.firstMessage("reviewer", Performative.FAILURE).body()).contains("the answer was blocked");
        assertThat(run.outcome()).isInstanceOf(Outcome.Failed.class);
        model.verify();
    }

    // ---- Waiting for a person, across a kill -9 ----

    static final String RUN = "RUN";
    static final String WAITING = "WAITING";

    /** The child JVM: starts a transfer that needs approval, says when the run waits, and waits to be killed. */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You are the clerk"), Reply.toolCall("transfer", "{\"q\":\"100 EUR to Ann\"}"));
        Troupe troupe = runtime(dir, model, new Audit())
                .config("pekko.loglevel = ERROR")
                .start();
        RunHandle run = troupe.run(DESK, "Pay Ann 100 EUR");
        System.out.println(RUN + " " + run.conversationId());
        await().atMost(WAIT).until(() -> !troupe.approvals().isEmpty());
        System.out.println(WAITING + " " + troupe.approvals().getFirst().key());
        System.out.flush();
    }

    @Test
    void aRunWaitingForApproval_survivesAKill_andGoesOnAfterApprovalInANewRuntime(@TempDir Path dir) throws Exception {
        List<String> lines = ChildJvm.runUntil(
                InterceptorSeamIT.class, List.of(dir.toString()), dir.resolve("child.log"), l -> l.startsWith(WAITING));
        String id = ChildJvm.value(lines, RUN);
        String key = ChildJvm.value(lines, WAITING);
        assertThat(toolLog(dir)).isEmpty();

        ScriptedModel model = new ScriptedModel().on(Match.afterTool("transfer"), Reply.text("Paid Ann."));
        try (Troupe troupe = runtime(dir, model, new Audit()).start()) {
            PendingApproval pending = await().atMost(WAIT)
                    .until(troupe::approvals, list -> !list.isEmpty())
                    .getFirst();
            assertThat(pending.conversationId()).isEqualTo(id);
            assertThat(pending.key()).isEqualTo(key);
            assertThat(pending.interceptor()).isEqualTo("approval");
            assertThat(pending.reason()).isEqualTo("transfers need a person");
            assertThat(pending.subject())
                    .isInstanceOfSatisfying(
                            Interception.Subject.ToolUse.class,
                            use -> assertThat(use.call().name()).isEqualTo("transfer"));
            assertThat(troupe.runs())
                    .filteredOn(r -> r.conversationId().equals(id))
                    .singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(io.troupe.api.run.RunStatus.WAITING_FOR_APPROVAL));

            troupe.approve(id, key, "ops", "Ann is owed it");

            assertThat(troupe.attach(id).outcome().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(new Outcome.Completed("Paid Ann.", null));
            Transcript journal = troupe.replay(id).toCompletableFuture().join();
            ApprovalDecided decided = first(journal.events(), ApprovalDecided.class, d -> true);
            assertThat(decided.approved()).isTrue();
            assertThat(decided.by()).isEqualTo("ops");
            ToolRequested transfer = first(
                    journal.events(), ToolRequested.class, r -> r.call().name().equals("transfer"));
            assertThat(journal.events().indexOf(decided))
                    .isLessThan(journal.events().indexOf(transfer));
            assertThat(troupe.approvals()).isEmpty();
        }
        assertThat(toolLog(dir)).containsExactly("transfer {\"q\":\"100 EUR to Ann\"}");
        model.verify();
    }

    @Test
    void aDeniedCall_isBlocked_andTheAgentGoesOnWithoutIt(@TempDir Path dir) throws Exception {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You are the clerk"), Reply.toolCall("transfer", "{\"q\":\"1M EUR to Bob\"}"))
                .on(Match.afterTool("transfer"), Reply.text("The transfer was refused."));
        AtomicInteger asked = new AtomicInteger();
        try (Troupe troupe = runtime(dir, model, new Audit()).start()) {
            RunHandle run = troupe.run(DESK, "Pay Bob a million");
            PendingApproval pending = await().atMost(WAIT)
                    .until(troupe::approvals, list -> !list.isEmpty())
                    .getFirst();
            asked.incrementAndGet();

            troupe.deny(run.conversationId(), pending.key(), "ops", "too much");

            assertThat(run.outcome().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(new Outcome.Completed("The transfer was refused.", null));
            Transcript journal =
                    troupe.replay(run.conversationId()).toCompletableFuture().join();
            ToolCallRejected refused = first(journal.events(), ToolCallRejected.class, r -> true);
            assertThat(refused.reason())
                    .contains("denied by ops (too much); approval had asked: transfers need a person");
            assertThat(journal.events()).noneMatch(e -> e instanceof ToolRequested);
            assertThatDeciding(troupe, run.conversationId(), pending.key());
        }
        assertThat(toolLog(dir)).isEmpty();
        assertThat(asked).hasValue(1);
        model.verify();
    }

    @Test
    void aRunWaitingForAPerson_longerThanItsWallClockBudget_goesOnOnceApproved(@TempDir Path dir) throws Exception {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You are the clerk"), Reply.toolCall("transfer", "{\"q\":\"100 EUR to Ann\"}"))
                .on(Match.afterTool("transfer"), Reply.text("Paid Ann."));
        TeamSpec desk = DESK.withBudget(io.troupe.api.budget.Budget.DEFAULT.withMaxWallTime(Duration.ofSeconds(5)));
        try (Troupe troupe = runtime(dir, model, new Audit()).start()) {
            RunHandle run = troupe.run(desk, "Pay Ann 100 EUR");
            PendingApproval pending = await().atMost(WAIT)
                    .until(troupe::approvals, list -> !list.isEmpty())
                    .getFirst();

            // The person takes longer than the run's whole wall-clock budget: its clock stops while it waits.
            await().pollDelay(Duration.ofMillis(5_500)).atMost(WAIT).until(() -> true);
            assertThat(run.outcome().toCompletableFuture().isDone()).isFalse();
            troupe.approve(run.conversationId(), pending.key(), "ops", "Ann is owed it");

            assertThat(run.outcome().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(new Outcome.Completed("Paid Ann.", null));
            Transcript journal =
                    troupe.replay(run.conversationId()).toCompletableFuture().join();
            JournalEvent.RunResumed resumed = first(journal.events(), JournalEvent.RunResumed.class, r -> true);
            assertThat(resumed.downtime()).isGreaterThan(Duration.ofMillis(5_500));
            assertThat(journal.events().indexOf(resumed))
                    .isEqualTo(journal.events().indexOf(first(journal.events(), ApprovalDecided.class, d -> true)) - 1);
        }
        assertThat(toolLog(dir)).containsExactly("transfer {\"q\":\"100 EUR to Ann\"}");
        model.verify();
    }

    /** Deciding again, or about a key that holds nothing, is refused with what the run holds. */
    private static void assertThatDeciding(Troupe troupe, String id, String key) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> troupe.approve(id, key, "ops", "again"))
                .isInstanceOf(io.troupe.api.ConfigurationException.class)
                .hasMessageContaining("holds nothing for a person at '" + key + "'");
    }

    private static Intercepted intercepted(List<JournalEvent> journal, Point point, int index) {
        List<Intercepted> matching = journal.stream()
                .filter(e -> e instanceof Intercepted i && i.point() == point)
                .map(Intercepted.class::cast)
                .toList();
        assertThat(matching).as("interceptions at %s in %s", point, journal).hasSizeGreaterThan(index);
        return matching.get(index);
    }

    private static <T extends JournalEvent> T first(List<JournalEvent> journal, Class<T> type, Predicate<T> test) {
        return journal.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(test)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no matching " + type.getSimpleName() + " in " + journal));
    }
}
